#!/usr/bin/env bash
# Make sure Verilator (>= 5) is installed. As root, install it from Debian's packages; otherwise
# print the exact command for the user and fail with a clear message.
set -euo pipefail
if command -v verilator >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "vta-trace: Verilator is not installed. Install it with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y verilator" >&2
  exit 3
fi
echo "vta-trace: installing Verilator from Debian's packages..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq verilator >&2
verilator --version >&2
