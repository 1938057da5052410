#!/usr/bin/env bash
# Runs the whole test suite and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
dotnet test Seismo.slnx -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The runner closes each test assembly with "Total tests: N" and "Passed: N", "Failed: N", "Skipped: N" lines.
sum() { grep -E "^\s+$1: [0-9]+\s*$" "$log" | grep -oE "[0-9]+" | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# Name what failed just above the count, so the end of a long log says which tests to look at.
if [ "$failed" -gt 0 ]; then
  echo "Failed tests:"
  grep -E "^  Failed [A-Za-z_][A-Za-z0-9_]*\.[^ ]+" "$log" | sed -E "s/^  Failed /  /" || echo "  (none reported by name: see the build or test host errors above)"
fi
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
