#!/usr/bin/env bash
# Prints, last, what `dotnet test` said about each failed test: its name and the first lines of its error message
# (identical messages once, with the tests that share them). CI shows only the end of the output, where the stack
# traces of the last failure would otherwise hide the message. Usage: tests/failure-summary.sh <dotnet test log>
set -euo pipefail
log="${1:?usage: $0 <dotnet test log>}"
[ -f "$log" ] || { echo "no test log at $log" >&2; exit 0; }
echo
echo "===== failed tests: names and error messages (from $log) ====="
awk '
  /^[[:space:]]+Failed [^ ]+ \[/ { name = $2; next }
  /^[[:space:]]+Error Message:/  { grab = 1; msg = ""; lines = 0; next }
  grab && (/^[[:space:]]+Stack Trace:/ || /^[[:space:]]+(Passed|Failed|Skipped) / || lines == 6) {
    grab = 0
    if (msg in names) names[msg] = names[msg] ", " name
    else { order[++n] = msg; names[msg] = name }
    count[msg]++
    next
  }
  grab { sub(/^[[:space:]]+/, ""); msg = msg (lines ? "\n    " : "") substr($0, 1, 300); lines++ }
  END {
    for (i = 1; i <= n; i++) {
      m = order[i]
      printf "%d test(s): %s\n    %s\n", count[m], (length(names[m]) > 400 ? substr(names[m], 1, 400) " …" : names[m]), m
    }
    if (n == 0) print "(no error messages found in the log: see the build or test output above)"
  }' "$log"
