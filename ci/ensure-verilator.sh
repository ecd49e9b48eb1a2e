#!/usr/bin/env bash
# Make sure Verilator (>= 5) is installed, and ccache beside it (optional: it lets every simulator
# build reuse the harness and Verilator runtime objects, about half of each build's compiler time).
# As root, install them from Debian's packages; otherwise print the exact command for the user and,
# for Verilator only, fail with a clear message.
set -euo pipefail
missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v ccache >/dev/null 2>&1 || missing+=(ccache)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if [[ " ${missing[*]} " == *" verilator "* ]]; then
    echo "vta-trace: Verilator is not installed. Install it with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 3
  fi
  echo "vta-trace: ccache is not installed; simulator builds will be slower. To install it:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ccache" >&2
  exit 0
fi
echo "vta-trace: installing ${missing[*]} from Debian's packages..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
if [[ " ${missing[*]} " == *" verilator "* ]]; then
  apt-get install -y -qq verilator >&2 || { echo "vta-trace: could not install Verilator from Debian's packages" >&2; exit 3; }
fi
if [[ " ${missing[*]} " == *" ccache "* ]]; then
  # ccache is an optimisation: a machine that cannot get it still builds.
  apt-get install -y -qq ccache >&2 || echo "vta-trace: could not install ccache; simulator builds will be slower" >&2
fi
verilator --version >&2
