#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite. Ends with a plain "N passed, N failed" line,
# which is what CI reads; the exit code is non-zero when any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

mkdir -p .cache
report=.cache/vitest-report.json
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node ci/summarize-vitest.mjs "$report" || status=1
exit $status
