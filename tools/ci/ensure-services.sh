#!/usr/bin/env bash
# Makes sure the services the tests talk to are up, starting (and, where it can, installing) what is
# missing. Called by both `.ci/run` and `npm test` (tools/test.sh), and by tools/docker/test.sh for the
# Docker engine. Ends with one line per service: up, or SKIPPED with the reason.
#
#   bash tools/ci/ensure-services.sh [service...]     (default: every service below)
#
# Required services (the exit status is 1 when one cannot be brought up): mariadb, redis.
# Optional ones (their tests run when they are there, and say so when they are not): influxdb, docker, pebble.
# Adding a service is one function `ensure_<name>` that returns 0 when the service is up, or prints a
# reason and returns 1; then add the name to OPTIONAL (or REQUIRED). Installing from Debian goes
# through `apt_install <packages…>`, which works only as root with apt-get (otherwise it explains why not).
set -uo pipefail

REQUIRED=(mariadb redis)
OPTIONAL=(influxdb docker pebble)

# The Docker engine a test run started: tools/docker/test.sh stops it when the last docker test ends.
DOCKERD_PID_FILE=/tmp/appconda-docker-test.dockerd.pid
DOCKERD_LOG=/var/log/appconda-dockerd.log

log() { echo "ensure-services: $*"; }
REASON=""
because() { REASON="$*"; return 1; }

# Polls `$@` once a second, up to $WAIT seconds (default 30).
wait_until() {
  local tries=${WAIT:-30}
  for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  "$@" >/dev/null 2>&1
}

# Installs Debian packages: as root with apt-get only; apt's own lock wait keeps it from clashing with another apt.
apt_install() {
  [ "$(id -u)" = 0 ] || because "not root: cannot apt-get install $*" || return 1
  command -v apt-get >/dev/null || because "no apt-get: install $* by hand" || return 1
  log "installing $* from Debian"
  export DEBIAN_FRONTEND=noninteractive
  local opts=(-y -qq -o DPkg::Lock::Timeout=300)
  if ! apt-get install "${opts[@]}" "$@" >/tmp/appconda-apt.log 2>&1; then
    apt-get update -qq -o DPkg::Lock::Timeout=300 >>/tmp/appconda-apt.log 2>&1
    apt-get install "${opts[@]}" "$@" >>/tmp/appconda-apt.log 2>&1 || because "apt-get install $* failed ($(tail -1 /tmp/appconda-apt.log))" || return 1
  fi
}

# setsid + nohup: the daemon gets a session of its own and outlives the shell (and job control) that started it.
start_daemon() {
  local logfile=$1
  shift
  mkdir -p "$(dirname "$logfile")"
  setsid nohup "$@" >>"$logfile" 2>&1 </dev/null &
  echo $!
}

mariadb_up() { mariadb-admin -uroot --connect-timeout=2 ping; }
ensure_mariadb() {
  mariadb_up >/dev/null 2>&1 && return 0
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server || return 1
  log "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >/dev/null 2>&1 || true
  wait_until mariadb_up || because "MariaDB did not answer on 127.0.0.1:3306 within 30 s"
}

redis_up() { redis-cli -h 127.0.0.1 ping; }
ensure_redis() {
  redis_up >/dev/null 2>&1 && return 0
  command -v redis-server >/dev/null || apt_install redis-server || return 1
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
  wait_until redis_up || because "Redis did not answer on 127.0.0.1:6379 within 30 s"
}

# InfluxDB 1.x (usage statistics, optional): the usage tests start a private influxd of their own when
# the binary is there; a shared one on 127.0.0.1:8086 serves `npm start` and the SDK end-to-end suite.
influxdb_up() { curl -sf http://127.0.0.1:8086/ping; }
ensure_influxdb() {
  influxdb_up >/dev/null 2>&1 && return 0
  command -v influxd >/dev/null || apt_install influxdb || return 1
  log "starting InfluxDB"
  start_daemon /tmp/appconda-influxdb.log influxd -config /etc/influxdb/influxdb.conf >/dev/null
  wait_until influxdb_up || because "influxd did not answer on 127.0.0.1:8086 within 30 s (log: /tmp/appconda-influxdb.log)"
}

# The Docker engine, for the image and compose test (tools/docker/test.sh): docker.io and docker-compose
# from Debian (debootstrap too: the base images are built from a Debian rootfs), dockerd started by hand.
docker_up() { docker info; }
ensure_docker() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}" || return 1; fi
  docker_up >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || because "the Docker engine does not answer this user, who cannot start one (not root)" || return 1
  log "starting dockerd (log: $DOCKERD_LOG)"
  start_daemon "$DOCKERD_LOG" dockerd --iptables=true >"$DOCKERD_PID_FILE"
  WAIT=60 wait_until docker_up || because "dockerd did not start: $(tail -1 "$DOCKERD_LOG" 2>/dev/null)"
}

# pebble (Let's Encrypt's test CA): installed only; the certificate tests start private instances of it.
ensure_pebble() {
  command -v pebble >/dev/null || apt_install pebble
}

services=("$@")
[ ${#services[@]} -gt 0 ] || services=("${REQUIRED[@]}" "${OPTIONAL[@]}")
status=0
summary=()
for service in "${services[@]}"; do
  if ! declare -F "ensure_$service" >/dev/null; then
    summary+=("$service: unknown service (known: ${REQUIRED[*]} ${OPTIONAL[*]})")
    status=1
    continue
  fi
  REASON=""
  if "ensure_$service"; then
    summary+=("$service: up")
  elif [[ " ${REQUIRED[*]} " == *" $service "* ]]; then
    summary+=("$service: FAILED — ${REASON:-see above} (required)")
    status=1
  else
    summary+=("$service: SKIPPED — ${REASON:-see above}; the tests that need it are skipped or say so")
  fi
done
for line in "${summary[@]}"; do log "$line"; done
exit $status
