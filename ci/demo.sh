#!/usr/bin/env bash
# Set up (if needed) and run the main job on a built-in workload: the recorded blocked matrix
# multiply runs on clean fsim and on fsim carrying a seeded bug (one flipped GEMM lane at
# instruction #4); both traces go to .cache/demo.db and the first divergence is reported.
# Exit 0 when the report names the divergence, as it should. Extra arguments go to `vta-trace diff`.
#
# Our RTL (tsim) is not in the tree yet; once it is, this becomes `diff fsim tsim`.
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh || exit 2
rm -f .cache/demo.db .cache/demo.db-wal .cache/demo.db-shm
node bin/vta-trace.js diff fsim 'fsim+gemm-lane:pc=4,lane=3' \
  --workload "${VTA_DEMO_WORKLOAD:-vec:matmul_blocked_4x4}" --db .cache/demo.db "$@"
status=$?
# diff exits 1 for "diverged": that is the expected outcome of this demonstration.
[ "$status" -eq 1 ] && exit 0
exit "$status"
