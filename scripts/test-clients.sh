#!/usr/bin/env bash
# make test-clients: third-party GraphQL clients from npm against a real
# server (web/clients): relay-compiler accepts @connection on every
# connection, graphql-ws and graphql-sse stream subscriptions, Apollo Client
# pages with relayStylePagination. Installs Node, npm and psql from apt when
# missing, the npm packages with npm ci, and builds the server.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v psql >/dev/null || missing+=(postgresql-client)
if ((${#missing[@]})); then
	echo "test-clients: installing ${missing[*]}" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

go build -o bin/orchestrator ./cmd/orchestrator
cd web/clients
npm ci --no-audit --no-fund --loglevel=error
ORCHESTRATOR_BIN=../../bin/orchestrator npm test
