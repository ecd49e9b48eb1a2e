#!/usr/bin/env bash
# The HTML report's browser (and the other test-only tools): see ci/ensure-test-tools.sh.
exec bash "$(dirname "$0")/ensure-test-tools.sh"
