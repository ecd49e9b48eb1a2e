#!/usr/bin/env bash
# Install Debian packages for vta-trace's setup: `bash ci/apt-install.sh PACKAGE...`.
# As root it runs apt-get; as another user it uses sudo when sudo works without a password (as on
# a GitHub-hosted runner); otherwise it prints the exact command to run and exits 3.
# apt's own output goes to .cache/apt.log, or $VTA_TRACE_APT_LOG (its progress lines would flood a
# terminal or a CI log);
# on failure the log's last lines are shown.
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || exit 0
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "vta-trace setup: needs Debian packages $* and cannot install them as $(id -un) (no root, no passwordless sudo). Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y $*" >&2
  exit 3
fi
log=${VTA_TRACE_APT_LOG:-.cache/apt.log}
mkdir -p "$(dirname "$log")"
echo "vta-trace setup: installing $* from Debian's packages (log: $log)..." >&2
export DEBIAN_FRONTEND=noninteractive
{
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
} >"$log" 2>&1
status=$?
if [ $status -ne 0 ]; then
  echo "vta-trace setup: apt-get failed (exit $status); the end of $log:" >&2
  tail -n 15 "$log" >&2
  exit 3
fi
