#!/usr/bin/env bash
# Make sure GTKWave's command-line tools are installed (vcd2fst, fst2vcd: the tests read the VCD
# of `vta-trace export` back through them, a reader that is not ours). As root, install Debian's
# gtkwave package; otherwise print the exact command. Optional: nothing but those tests needs it.
set -euo pipefail
command -v fst2vcd >/dev/null 2>&1 && command -v vcd2fst >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "vta-trace: gtkwave (fst2vcd, vcd2fst) is not installed; the waveform tests need it. To install it:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y gtkwave" >&2
  exit 0
fi
echo "vta-trace: installing gtkwave from Debian's packages..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq gtkwave >&2 || echo "vta-trace: could not install gtkwave; the waveform tests will fail" >&2
