# Common tasks; `make test` is what CI runs (.ci/run).
GO ?= go

.PHONY: services generate test run build

# PostgreSQL + pgvector and Redis on loopback, installed and started if missing.
services:
	bash scripts/services.sh

generate:
	$(GO) generate ./...

test: services
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

run: services
	$(GO) run ./cmd/orchestrator migrate up
	$(GO) run ./cmd/orchestrator all

build:
	$(GO) build -o bin/orchestrator ./cmd/orchestrator
