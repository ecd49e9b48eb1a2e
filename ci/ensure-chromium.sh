#!/usr/bin/env bash
# Make sure a chromium is installed: the HTML report's tests and `npm run bench -- report` open
# the report in it, headless, through playwright-core (which cannot download a browser here).
# As root, install Debian's chromium package; with password-less sudo, through sudo; otherwise
# print the exact command. Called by ci/test.sh, not by the demo, which needs no browser.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ]; then
  as=()
elif sudo -n true 2>/dev/null; then
  as=(sudo -n)
else
  echo "vta-trace: chromium is not installed; the HTML report tests need it. To install it:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 0
fi
echo "vta-trace: installing chromium from Debian's packages..." >&2
mkdir -p .cache
export DEBIAN_FRONTEND=noninteractive
"${as[@]}" apt-get update -qq >>.cache/apt.log 2>&1 || true
"${as[@]}" apt-get install -y -qq chromium >>.cache/apt.log 2>&1 || echo "vta-trace: could not install chromium (see .cache/apt.log); the HTML report tests will fail" >&2
