#!/usr/bin/env bash
# 10 000 sockets need more file descriptors than the default 1 024 (each process: the realtime server and the clients).
set -euo pipefail
ulimit -n "$(ulimit -Hn)"
exec node "$(dirname "$0")/run.mjs" "$@"
