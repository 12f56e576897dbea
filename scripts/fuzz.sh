#!/usr/bin/env bash
# Fuzz every go test -fuzz target in the module (or those of the packages
# given) for a bounded time each, one after another. Not run by CI.
#
#   scripts/fuzz.sh                 # every target, 1 minute each
#   FUZZTIME=10m scripts/fuzz.sh ./bot ./adapters/slack
#   PARALLEL=2 FUZZTIME=30s scripts/fuzz.sh
#
# New crashers are written by go test to the package's
# testdata/fuzz/FuzzName/ folder (commit them: they become regression
# tests run by plain `go test`). A summary line per target goes to stdout
# and to fuzz-summary.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-1m}
parallel=${PARALLEL:-1}
pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)
status=0
for pkg in $(go list "${pkgs[@]}"); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		start=$(date +%s)
		out=$(go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime "${FUZZMINIMIZETIME:-5s}" -parallel "$parallel" 2>&1)
		rc=$?
		execs=$(printf '%s\n' "$out" | grep -o 'execs: [0-9]*' | tail -1 | cut -d' ' -f2)
		line="$(date -u +%FT%TZ) $pkg $target ${fuzztime} rc=$rc execs=${execs:-?} seconds=$(( $(date +%s) - start ))"
		echo "$line" | tee -a fuzz-summary.txt
		if [ $rc -ne 0 ]; then
			status=1
			printf '%s\n' "$out" | tail -40
		fi
	done
done
exit $status
