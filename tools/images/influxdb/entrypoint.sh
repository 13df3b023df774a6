#!/bin/sh
# `influxd [options]`: runs as the influxdb user with Debian's configuration (data in /var/lib/influxdb).
set -e
if [ "${1#-}" != "$1" ]; then set -- influxd "$@"; fi
if [ "$1" = influxd ]; then
  shift
  [ "$(id -u)" = 0 ] && chown -R influxdb:influxdb /var/lib/influxdb
  exec setpriv --reuid=influxdb --regid=influxdb --init-groups influxd -config /etc/influxdb/influxdb.conf "$@"
fi
exec "$@"
