#!/bin/sh
# `redis-server [options]`: runs as the redis user, reachable from other containers (protected mode off,
# as in the upstream image). Any other command runs as given.
set -e
if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  shift
  [ "$(id -u)" = 0 ] && chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups redis-server --protected-mode no --dir /data "$@"
fi
exec "$@"
