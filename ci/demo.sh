#!/usr/bin/env bash
# Set up (if needed) and run the main job on the built-in default workload: run it on fsim and on
# tsim (the RTL under Verilator), record both traces, and report the first divergence (none
# expected). Extra arguments go to `vta-trace diff`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
exec node bin/vta-trace.js diff fsim tsim --workload "${VTA_DEMO_WORKLOAD:-conv2d-small}" --db .cache/demo.db "$@"
