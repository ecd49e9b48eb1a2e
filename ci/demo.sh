#!/usr/bin/env bash
# Set up (if needed) and run the main job on a built-in workload: the recorded blocked matrix
# multiply (vec:matmul_blocked_4x4) runs on fsim and on tsim (our RTL under Verilator; built and
# cached on first use), both traces go to .cache/demo.db, and the first divergence is reported
# (none: the values agree, and the per-module cycle difference is shown).
# Extra arguments go to `vta-trace diff`, e.g. `bash ci/demo.sh --mode sram`.
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh || exit 2
rm -f .cache/demo.db .cache/demo.db-wal .cache/demo.db-shm
exec node bin/vta-trace.js diff fsim tsim --workload "${VTA_DEMO_WORKLOAD:-vec:matmul_blocked_4x4}" --db .cache/demo.db "$@"
