#!/usr/bin/env bash
# Install what vta-trace needs on a fresh machine (Node 20, npm, g++, make, python3 given), doing
# only what is not done yet: npm packages when package-lock.json is newer than the install
# (better-sqlite3 compiles from source, ~75 s); Verilator and ccache from Debian's packages when
# missing (ci/ensure-verilator.sh); the TypeScript when a source is newer than the last compile
# (incremental: tsconfig.json keeps dist/.tsbuildinfo). A second run takes well under a second.
# --no-verilator: skip Verilator and ccache (a job that only merges results or prints trends).
set -euo pipefail
cd "$(dirname "$0")/.."
verilator=yes
for arg in "$@"; do
  case "$arg" in
    --no-verilator) verilator=no ;;
    *) echo "vta-trace setup: unknown option $arg (known: --no-verilator)" >&2; exit 2 ;;
  esac
done

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "vta-trace setup: installing npm packages (better-sqlite3 compiles from source, about 75 s)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
[ "$verilator" = no ] || bash ci/ensure-verilator.sh
[ "$verilator" = no ] || bash ci/ensure-gtkwave.sh

# Compile when dist/ is missing or older than any source, the compiler options or the installed packages.
stamp=dist/.tsbuildinfo
if [ ! -f "$stamp" ] || [ -n "$(find runtime targets tracer regression cli bench -name '*.ts' ! -name '*.test.ts' -newer "$stamp" -print -quit)" ] \
  || [ tsconfig.json -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "vta-trace setup: compiling TypeScript..." >&2
  npx tsc -p tsconfig.json >&2
  touch "$stamp"
fi

# The README's way onto the PATH: say it once when `vta-trace` is not there yet.
if ! command -v vta-trace >/dev/null 2>&1; then
  echo "vta-trace setup: done. To run \`vta-trace\` from anywhere: export PATH=\"$(pwd)/bin:\$PATH\"" >&2
fi
