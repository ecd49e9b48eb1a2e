#!/usr/bin/env bash
# Make sure Verilator (>= 5) is installed, and ccache beside it (optional: it lets every simulator
# build reuse the harness and Verilator runtime objects, about half of each build's compiler time).
# Installs what is missing from Debian's packages (ci/apt-install.sh: as root, or with passwordless
# sudo; otherwise it prints the exact command). Without Verilator this fails; without ccache it warns.
set -uo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v ccache >/dev/null 2>&1 || missing+=(ccache)
[ ${#missing[@]} -eq 0 ] && exit 0
bash ci/apt-install.sh "${missing[@]}"
if ! command -v verilator >/dev/null 2>&1; then
  echo "vta-trace setup: Verilator is required for the tsim target and is not installed" >&2
  exit 3
fi
command -v ccache >/dev/null 2>&1 || echo "vta-trace setup: ccache is not installed; simulator builds will be slower" >&2
echo "vta-trace setup: $(verilator --version)" >&2
