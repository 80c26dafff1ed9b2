#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME each (default 3s; `make fuzz` gives
# minutes). New failing inputs land in the package's testdata/fuzz/<target>/,
# to be committed with the fix; plain `go test` replays that corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-3s}"
targets=(
	"./domain/query FuzzParse"
	"./domain/intent FuzzOfflineClassify"
	"./adapter/emulator/importer FuzzLoadMbox"
	"./adapter/emulator/importer FuzzLoadICS"
	"./adapter/emulator/importer FuzzLoadEML"
	"./web/server FuzzGraphQL"
)
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "fuzz $name ($pkg) for $FUZZTIME"
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -parallel 2 "$pkg"
done
