#!/usr/bin/env bash
# Set up (if needed), run the whole test suite, then the commit regression suite (fsim against
# tsim on every fixture config, JUnit in .cache/junit-commit.xml). Ends with a plain
# "N passed, N failed" line counting both, which is what CI reads; the exit code is non-zero
# when anything failed. Extra arguments go to vitest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
# Tools only the tests need: chromium for the HTML report, yosys for mutate --verilog.
bash ci/ensure-test-tools.sh

mkdir -p .cache
report=.cache/vitest-report.json
regress=.cache/regress-commit.json
rm -f "$report" "$regress"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
echo "== regression: commit suite" >&2
node bin/vta-trace.js regress --suite commit --jobs 2 --junit .cache/junit-commit.xml --json > "$regress"
regress_status=$?
[ "$regress_status" -eq 0 ] || status=1
node ci/summarize-tests.mjs "$report" "$regress" || status=1
exit $status
