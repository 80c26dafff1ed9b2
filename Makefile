# Common tasks; `make test` is what CI runs (.ci/run).
GO ?= go

.PHONY: services generate lint test run build chaos

# PostgreSQL + pgvector and Redis on loopback, installed and started if missing.
services:
	bash scripts/services.sh

generate:
	$(GO) generate ./...

# The linter, pinned and built from the Go module proxy into bin/ (a newer
# version may report new findings: bump it on purpose). .golangci.yml holds
# the import rules of README's architecture table (depguard).
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := bin/golangci-lint-$(GOLANGCI_LINT_VERSION)

$(GOLANGCI_LINT):
	GOBIN=$(CURDIR)/bin/.install $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv bin/.install/golangci-lint $@

lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run --allow-serial-runners ./...

# -short skips the judged-set evaluation (minutes; `make eval` runs it).
test: services lint
	$(GO) vet ./...
	$(GO) test -race -short -count=1 -timeout 20m ./...
	FUZZTIME=3s bash scripts/fuzz.sh

# Every fuzz target (query/filter parser, intent parser, mbox/eml/ics
# import, GraphQL inputs) for FUZZTIME each; `make test` gives each 3s.
# Plain `go test` replays each target's committed corpus (testdata/fuzz).
.PHONY: fuzz
FUZZTIME ?= 3m
fuzz: services
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

# Every fault scenario (cmd/orchestrator/chaos): real processes over a PostgreSQL cluster and
# a Redis of their own on loopback ports 18300-18399, the emulator's faults,
# SIGKILL and SIGTERM; prints a table and fails on any loss, duplicate or
# stuck item. `make test` runs the short set.
chaos: services
	$(GO) test ./cmd/orchestrator/chaos/ -run TestChaos -count=1 -v -timeout 30m -args -chaos.full

run: services
	$(GO) run ./cmd/orchestrator migrate up
	$(GO) run ./cmd/orchestrator all

build:
	$(GO) build -o bin/orchestrator ./cmd/orchestrator

# Hybrid search latency over 20 users x 6,000 items (loaded once into schema
# searchbench of the test database), each leg alone and the naive way.
# Judged queries (demo/data/eval) against the demo
# workspace loaded into a fresh schema; prints a table per set and method.
.PHONY: eval
eval:
	go test ./cmd/orchestrator/searcheval/ -run TestDemoEval -v -count=1 -timeout 30m

# Judged ask cases (demo/data/eval/ASK-EVAL.md) against a running server
# (`make run`, or HTTP_ADDR/DATABASE_URL of another one): the shared dev set
# and the project's own set, each with pass rates per category.
ASK_CASES ?= demo/data/eval/ask-dev.jsonl demo/data/eval/ask-own.jsonl
.PHONY: eval-ask
eval-ask:
	$(GO) build -o bin/orchestrator ./cmd/orchestrator
	@for f in $(ASK_CASES); do echo "== $$f"; ./bin/orchestrator eval-ask --cases $$f || exit 1; done

# The held-out ask cases (demo/data/eval/README.md): a check of whether the
# tuning generalises, never a set to tune against; not in ASK_CASES.
.PHONY: eval-ask-heldout
eval-ask-heldout:
	$(GO) build -o bin/orchestrator ./cmd/orchestrator
	./bin/orchestrator eval-ask --cases demo/data/eval/ask-heldout.jsonl

.PHONY: bench-search
bench-search:
	go test -v -run '^$$' -bench BenchmarkSearch -benchtime 300x -timeout 60m ./cmd/orchestrator/searcheval/

# ---- Sync benchmarks (workers/synctest; owned by the sync work) ----
# Full sync of the demo workspace with embeddings (target <= 60 s on 2 cores)
# and an incremental sync of 100 changes (target <= 2 s).
.PHONY: bench-sync
bench-sync: services
	$(GO) test -run '^$$' -bench 'FullSyncDemo' -benchtime 1x -count 1 -timeout 20m ./workers/synctest/
	$(GO) test -run '^$$' -bench 'IncrementalSync100' -benchtime 3x -count 1 -timeout 20m ./workers/synctest/

# ---- Ask benchmark: server + load generator (cmd/askload) on this machine ----
# Offline providers, the demo workspace; WORKERS and DURATION tune the load.
.PHONY: bench-ask
bench-ask: services
	bash scripts/bench-ask.sh

# Third-party clients from npm against a real server: relay-compiler
# (@connection on every connection), graphql-ws, graphql-sse, Apollo Client.
.PHONY: test-clients
test-clients: services
	bash scripts/test-clients.sh

# ---- Web app (web/app: TypeScript + Preact, built by Vite, embedded in the binary) ----
# Rebuilds the bundle the binary embeds (commit web/app/dist).
.PHONY: web test-web
web:
	cd web/app && npm ci --no-audit --no-fund --loglevel=error && npm run build

# The app in headless Chromium (Debian's package, driven by playwright-core)
# against a real server with the emulator; screenshots in bin/web-artifacts/.
test-web: services
	bash scripts/test-web.sh

# ---- Offline understanding (domain/nlu) ----
# Retrain the intent classifier and slot tagger from domain/nlu/corpus.txt;
# prints accuracy on held-out templates. `make nlu-compare` measures each model family.
.PHONY: nlu nlu-compare
nlu:
	$(GO) run ./cmd/orchestrator train-nlu
nlu-compare:
	$(GO) run ./cmd/orchestrator train-nlu --compare
