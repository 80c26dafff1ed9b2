#!/usr/bin/env bash
# make bench-ask: the server (offline providers, demo workspace) and the load
# generator on this machine, against the local PostgreSQL and Redis. Prints
# time to first streamed token, whole-answer latency and asks/s.
set -euo pipefail
cd "$(dirname "$0")/.."
export HTTP_ADDR="${BENCH_HTTP_ADDR:-127.0.0.1:18480}" EMULATOR_ADDR="${BENCH_EMULATOR_ADDR:-127.0.0.1:18485}"
export ASK_RATE_PER_HOUR=100000000 RATE_LIMITS=off LOG_LEVEL=warn
go build -o bin/orchestrator ./cmd/orchestrator
go build -o bin/askload ./cmd/askload
bin/orchestrator migrate up >/dev/null
bin/orchestrator all 2>"${BENCH_LOG:-/tmp/bench-ask-server.log}" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
	curl -fs "http://$HTTP_ADDR/readyz" >/dev/null 2>&1 && break
	sleep 0.5
done
TOKEN=$(bin/orchestrator token --email demo@example.com 2>/dev/null)
# Wait until the demo user's three services have synced.
for _ in $(seq 1 600); do
	idle=$(curl -fs "http://$HTTP_ADDR/graphql" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
		-d '{"query":"{ syncStatus { state lastSyncAt } }"}' | grep -o '"state":"IDLE","lastSyncAt":"[^"]' | wc -l || true)
	[ "$idle" -ge 3 ] && break
	sleep 1
done
# 8 closed-loop askers keep the two cores busy; more only queue (16 reach about
# the same rate at twice the latency, Little's law).
echo "demo workspace synced; loading with ${WORKERS:-8} workers for ${DURATION:-20s}"
bin/askload -url "http://$HTTP_ADDR" -token "$TOKEN" -workers "${WORKERS:-8}" -duration "${DURATION:-20s}"
