#!/usr/bin/env bash
# make test-web: the web app (web/app) in headless Chromium against a real
# server with the built-in emulator. Installs what is missing (Debian's
# chromium, Node and npm from apt; the npm packages with npm ci), checks that
# the committed bundle is what the sources build, builds the server and runs
# web/app/e2e. Screenshots land in bin/web-artifacts/ (WEB_ARTIFACTS).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v psql >/dev/null || missing+=(postgresql-client)
if ((${#missing[@]})); then
	echo "test-web: installing ${missing[*]}" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd web/app
npm ci --no-audit --no-fund --loglevel=error
# Vite needs Node >= 20.19; an older Node still runs the browser tests on the committed bundle.
if node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
	# Types from the current schema, then the bundle: a schema change that
	# breaks the app fails here, and the bundle must be what the sources build.
	npm run --silent build >/dev/null
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
		{ ! git diff --quiet -- dist || [ -n "$(git ls-files --others --exclude-standard -- dist)" ]; }; then
		git status --short -- dist >&2
		echo "test-web: the committed bundle is not what the sources build: run make web and commit web/app/dist" >&2
		exit 1
	fi
else
	echo "test-web: Node $(node --version) is older than Vite needs; testing the committed bundle as is" >&2
fi
cd ../..

go build -o bin/orchestrator ./cmd/orchestrator
cd web/app
ORCHESTRATOR_BIN=../../bin/orchestrator npm run --silent test:browser
