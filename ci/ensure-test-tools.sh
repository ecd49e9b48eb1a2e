#!/usr/bin/env bash
# Make sure the tools only the tests need are installed: chromium (the HTML report's tests open the
# page in it, headless, through playwright-core, which cannot download a browser here) and yosys
# (`vta-trace mutate --verilog` lists mutants with its `mutate` pass). Installs the missing ones
# through ci/apt-install.sh (root, password-less sudo, or the exact command printed). Called by
# ci/test.sh, not by the demo, which needs neither. A failed install is reported, not fatal: the
# tests that need the tool then say so.
set -uo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v yosys >/dev/null 2>&1 || missing+=(yosys)
[ ${#missing[@]} -eq 0 ] && exit 0
bash ci/apt-install.sh "${missing[@]}" || echo "vta-trace: ${missing[*]} not installed; the tests that need them will say so" >&2
exit 0
