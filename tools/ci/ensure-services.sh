#!/usr/bin/env bash
# Starts MariaDB and Redis (and InfluxDB when installed) if they are not answering.
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
# InfluxDB (usage statistics) is started when the machine has it; no test needs it yet, so it is not installed here.
if command -v influxd >/dev/null 2>&1 && ! curl -sf http://127.0.0.1:8086/ping >/dev/null 2>&1; then
  echo "starting InfluxDB"
  start-stop-daemon --start --oknodo --background --exec "$(command -v influxd)" || true
fi
mariadb-admin -uroot ping
redis-cli -h 127.0.0.1 ping
