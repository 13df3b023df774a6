#!/usr/bin/env bash
# Builds the function runtime images the executor's docker driver starts, locally (no registry is needed or
# reached), from Appconda's own v2 runtime servers (libs/executor/runtimes) on the debootstrapped bookworm
# rootfs that build-base-images.sh imports:
#   openruntimes/node:v2-18.0    Debian's nodejs 18 + npm 9 + libs/executor/runtimes/node/server.js
#   openruntimes/node:v2-16.0    the same image: Debian ships no Node 16, so node-16.0 runs on Node 18
#   openruntimes/python:v2-3.9   Debian's python3 3.11 + venv + libs/executor/runtimes/python/server.py
#                                (bookworm ships no 3.9; the server and user code use only 3.x features)
# Images that exist are skipped unless --force (or the server file or Dockerfile is newer than the image).
# The CAs in /usr/local/share/ca-certificates are trusted in the images too (builds reach the registry).
# Usage: build-runtime-images.sh [--force] [node|python ...]   Needs root, docker, Debian's mirror.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
servers="$here/../../libs/executor/runtimes"
CACHE=${APPCONDA_IMAGE_CACHE:-/var/cache/appconda-images}
BASE=appconda-local/debian:bookworm
force=false
wanted=()
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    node | python) wanted+=("$arg") ;;
    *) echo "build-runtime-images: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
[ ${#wanted[@]} -gt 0 ] || wanted=(node python)
log() { echo "[$(date -u +%H:%M:%S)] runtime-images: $*"; }

# The rootfs image comes from the base-image script (node:20-bookworm-slim is cheap once the rootfs exists).
docker image inspect "$BASE" >/dev/null 2>&1 || bash "$here/build-base-images.sh" node

fresh() {
  local image=$1 server=$2 dockerfile=$3 created
  $force && return 1
  created=$(docker image inspect -f '{{.Created}}' "$image" 2>/dev/null) || return 1
  [ "$(date -d "$created" +%s)" -ge "$(stat -c %Y "$server")" ] && [ "$(date -d "$created" +%s)" -ge "$(stat -c %Y "$dockerfile")" ]
}

build() {
  local lang=$1 tag=$2 server=$3 context
  if fresh "$tag" "$server" "$here/runtimes/$lang/Dockerfile"; then log "$tag exists, skipped"; return; fi
  context=$(mktemp -d)
  cp "$here/runtimes/$lang/Dockerfile" "$server" "$context/"
  # CAs this machine added (e.g. a TLS-intercepting proxy in front of the registries) go into the image.
  mkdir -p "$context/extra-ca"
  cp /usr/local/share/ca-certificates/*.crt "$context/extra-ca/" 2>/dev/null || true
  log "building $tag"
  mkdir -p "$CACHE"
  docker build --force-rm --network host --build-arg BASE="$BASE" -t "$tag" "$context" >"$CACHE/build-runtime-$lang.log" 2>&1 \
    || { tail -30 "$CACHE/build-runtime-$lang.log" >&2; rm -rf "$context"; echo "building $tag failed" >&2; exit 1; }
  rm -rf "$context"
}

started=$(date +%s)
for lang in "${wanted[@]}"; do
  case "$lang" in
    node)
      build node openruntimes/node:v2-18.0 "$servers/node/server.js"
      docker tag openruntimes/node:v2-18.0 openruntimes/node:v2-16.0
      ;;
    python) build python openruntimes/python:v2-3.9 "$servers/python/server.py" ;;
  esac
done
log "done in $(($(date +%s) - started))s"
