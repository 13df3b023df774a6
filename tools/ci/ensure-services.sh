#!/usr/bin/env bash
# Starts MariaDB, Redis and InfluxDB if they are not answering (InfluxDB is installed from Debian when missing),
# and installs pebble (Let's Encrypt's test CA) when missing: the certificate tests start private instances of it.
set -euo pipefail
if ! mariadb-admin -uroot --connect-timeout=2 ping >/dev/null 2>&1; then
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 30); do mariadb-admin -uroot ping >/dev/null 2>&1 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli ping >/dev/null 2>&1 && break; sleep 1; done
fi
# InfluxDB 1.x (usage statistics: the usage service writes to it, its tests and the e2e suite read it back).
if ! curl -sf http://127.0.0.1:8086/ping >/dev/null 2>&1; then
  if ! command -v influxd >/dev/null 2>&1; then
    echo "installing InfluxDB"
    DEBIAN_FRONTEND=noninteractive apt-get install -y influxdb >/dev/null || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y influxdb >/dev/null; }
  fi
  echo "starting InfluxDB"
  mkdir -p /var/log/influxdb
  # setsid: a session of its own, so it outlives the shell (and job control) that started it.
  setsid nohup influxd -config /etc/influxdb/influxdb.conf >>/var/log/influxdb/ci.log 2>&1 </dev/null &
  for _ in $(seq 1 30); do curl -sf http://127.0.0.1:8086/ping >/dev/null 2>&1 && break; sleep 1; done
fi
if ! command -v pebble >/dev/null 2>&1; then
  echo "installing pebble"
  DEBIAN_FRONTEND=noninteractive apt-get install -y pebble >/dev/null || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y pebble >/dev/null; }
fi
mariadb-admin -uroot ping
redis-cli -h 127.0.0.1 ping
curl -sf http://127.0.0.1:8086/ping && echo influxdb ok
