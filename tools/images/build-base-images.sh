#!/usr/bin/env bash
# Builds, from Debian packages only, the base images that deploy/Dockerfile and docker-compose.yml name,
# and tags them with the upstream names (no image registry is needed or reached):
#   node:20-bookworm-slim   debootstrapped bookworm minbase + this machine's Node 20 binary and npm
#   mariadb:10.7            Debian's mariadb-server (10.11) + an entrypoint honouring MYSQL_* like upstream
#   redis:7.0.4-alpine      Debian's redis-server (7.0)
#   appconda/influxdb:1.5.0 Debian's influxdb (1.6)
# appconda/telegraf:1.4.0 and traefik:2.7 have no Debian package and are not built here.
# One debootstrap rootfs is cached (APPCONDA_IMAGE_CACHE, default /var/cache/appconda-images) and imported
# once as appconda-local/debian:bookworm; every image derives from it. Images that exist are skipped,
# so a second run costs a few docker inspect calls. Needs root, docker, debootstrap and Debian's mirror.
# Usage: build-base-images.sh [--force] [image ...]   (image: node mariadb redis influxdb)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${APPCONDA_IMAGE_CACHE:-/var/cache/appconda-images}
MIRROR=${APPCONDA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
BASE=appconda-local/debian:bookworm
force=false
wanted=()
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    node | mariadb | redis | influxdb) wanted+=("$arg") ;;
    *) echo "build-base-images: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
[ ${#wanted[@]} -gt 0 ] || wanted=(node mariadb redis influxdb)

log() { echo "[$(date -u +%H:%M:%S)] base-images: $*"; }
has_image() { ! $force && docker image inspect "$1" >/dev/null 2>&1; }
tag_of() {
  case "$1" in
    node) echo node:20-bookworm-slim ;;
    mariadb) echo mariadb:10.7 ;;
    redis) echo redis:7.0.4-alpine ;;
    influxdb) echo appconda/influxdb:1.5.0 ;;
  esac
}

ensure_rootfs_image() {
  if docker image inspect "$BASE" >/dev/null 2>&1 && ! $force; then return; fi
  local tarball="$CACHE/$SUITE-minbase.tar"
  if [ ! -s "$tarball" ] || $force; then
    command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install -y debootstrap)" >&2; exit 1; }
    mkdir -p "$CACHE"
    local rootfs="$CACHE/rootfs.tmp"
    rm -rf "$rootfs"
    log "debootstrap $SUITE minbase from $MIRROR (once; cached in $tarball)"
    debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    # Container-friendly defaults, as Debian's own docker images have them.
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d" && chmod 755 "$rootfs/usr/sbin/policy-rc.d"
    printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n' \
      >"$rootfs/etc/dpkg/dpkg.cfg.d/slim"
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$rootfs/etc/apt/apt.conf.d/90slim"
    printf 'deb %s %s main\ndeb %s %s-updates main\n' "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" >"$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
    tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  fi
  log "importing $tarball as $BASE"
  docker import --change 'CMD ["/bin/bash"]' "$tarball" "$BASE" >/dev/null
}

# docker build with the host's network: the RUN apt-get steps reach Debian's mirror exactly as the host does.
build_image() {
  local name=$1 context=$2
  log "building $(tag_of "$name")"
  docker build --force-rm --network host --build-arg BASE="$BASE" -t "$(tag_of "$name")" "$context" >"$CACHE/build-$name.log" 2>&1 \
    || { tail -30 "$CACHE/build-$name.log" >&2; echo "building $(tag_of "$name") failed (log: $CACHE/build-$name.log)" >&2; exit 1; }
}

build_node() {
  local node_bin npm_dir context
  node_bin=$(command -v node) || { echo "node is not installed on this machine" >&2; exit 1; }
  node_bin=$(readlink -f "$node_bin")
  case "$("$node_bin" -v)" in v20.*) ;; *) echo "node:20-bookworm-slim needs Node 20 on this machine, found $("$node_bin" -v)" >&2; exit 1 ;; esac
  npm_dir=$(cd "$(dirname "$node_bin")/../lib/node_modules/npm" 2>/dev/null && pwd) || { echo "npm not found next to $node_bin" >&2; exit 1; }
  context=$(mktemp -d)
  trap 'rm -rf "$context"' RETURN
  cp "$here/node/Dockerfile" "$context/"
  cp "$node_bin" "$context/node"
  cp -a "$npm_dir" "$context/npm"
  build_image node "$context"
}

mkdir -p "$CACHE"
started=$(date +%s)
todo=()
for name in "${wanted[@]}"; do
  if has_image "$(tag_of "$name")"; then log "$(tag_of "$name") exists, skipped"; else todo+=("$name"); fi
done
if [ ${#todo[@]} -gt 0 ]; then
  ensure_rootfs_image
  for name in "${todo[@]}"; do
    if [ "$name" = node ]; then build_node; else build_image "$name" "$here/$name"; fi
  done
fi
log "done in $(($(date +%s) - started))s"
