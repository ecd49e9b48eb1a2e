#!/usr/bin/env bash
# Install everything vta-trace needs on a fresh machine (Node 20, npm, g++, make, python3 given):
# npm packages (better-sqlite3 compiles from source, ~75 s), Verilator from Debian's packages,
# then compile the TypeScript. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "vta-trace setup: installing npm packages..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
bash ci/ensure-verilator.sh
bash ci/ensure-gtkwave.sh
echo "vta-trace setup: compiling TypeScript..." >&2
npx tsc -p tsconfig.json >&2
