#!/usr/bin/env bash
# The image and compose test (run by tools/test.sh):
#  1. static checks of docker-compose.yml (tools/docker/check-compose.mjs, no Docker needed), plus one
#     mutation to prove the checker fails;
#  2. makes sure a Docker engine runs (tools/ci/ensure-services.sh docker: installs docker.io,
#     docker-compose and debootstrap from apt and starts dockerd where it can; where it cannot, prints
#     SKIP with the reason and exits 0, or fails with CI=true);
#  3. `docker-compose config -q` on the compose file with a .env made from .env.example;
#  4. builds the base images when missing (tools/images/build-base-images.sh) and the appconda image;
#  5. starts mariadb, redis, influxdb, the api and worker-audits with docker-compose (no Traefik: its image
#     cannot be made offline; the api's port is published on 127.0.0.1 instead), calls
#     /v1/health/version, checks worker-audits logged its ready line, runs the image's health check in
#     both, then tears everything down (containers, network, volumes).
# Env: CI=true (a missing Docker engine fails the test), APPCONDA_DOCKER_KEEP=1 (leave the stack up for debugging).
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
IMAGE=appconda/appconda:1.3.8
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0

log() { echo "[$(date -u +%H:%M:%S) +$(($(date +%s) - started))s] docker-test: $*"; }
fail() { echo "[$(date -u +%H:%M:%S)] docker-test: FAIL $*" >&2; exit 1; }
skip() { echo "docker-test: SKIP $*"; exit 0; }
in_ci() { [ "${CI:-}" = true ]; }

work=$(mktemp -d)
project="appconda-test-$$"
stack_up=false
# Runs of this test share one engine: each holds a shared lock; the dockerd a run started is recorded,
# and the last run to finish (the one that gets the lock exclusively) stops it.
lock_file=/tmp/appconda-docker-test.lock
owned_pid_file=/tmp/appconda-docker-test.dockerd.pid
exec 9>"$lock_file"
flock -s 9
stop_dockerd() {
  [ -f "$owned_pid_file" ] || return 0
  if ! flock -x -n 9; then
    log "another docker test is running: leaving dockerd up"
    return 0
  fi
  local pid
  pid=$(cat "$owned_pid_file")
  rm -f "$owned_pid_file"
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || return 0
  log "stopping the dockerd a docker test started (pid $pid)"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
}
cleanup() {
  local status=$?
  if $stack_up; then
    if [ $status -ne 0 ]; then
      echo "---- container logs (last 40 lines each) ----"
      (cd "$work/compose" && docker-compose -p "$project" logs --no-color --tail=40) || true
    fi
    if [ "${APPCONDA_DOCKER_KEEP:-}" = 1 ]; then
      log "leaving project $project up (docker-compose -p $project -f $work/compose/docker-compose.yml down -v)"
      return
    fi
    log "tearing down $project"
    (cd "$work/compose" && docker-compose -p "$project" down -v --remove-orphans -t 5 >/dev/null 2>&1) || true
  fi
  stop_dockerd
  rm -rf "$work"
}
trap cleanup EXIT

# ---- 1. static checks ---------------------------------------------------------------------------
log "checking docker-compose.yml against the infrastructure table"
node tools/docker/check-compose.mjs docker-compose.yml .env.example || fail "check-compose found problems"
sed 's/^  appconda-worker-mails:$/  appconda-worker-mails:\n    container_name: mails/' docker-compose.yml >"$work/mutant.yml"
if node tools/docker/check-compose.mjs "$work/mutant.yml" .env.example >/dev/null; then
  fail "check-compose accepted a compose file with container_name on a worker"
fi

# ---- 2. a Docker engine -------------------------------------------------------------------------
# tools/ci/ensure-services.sh installs docker.io, docker-compose and debootstrap and starts dockerd when
# this machine allows it (root with apt); otherwise this test is skipped with the reason (a failure in CI).
engine=$(bash tools/ci/ensure-services.sh docker 2>&1)
echo "$engine" | grep -v 'docker: up$' || true
if ! echo "$engine" | grep -q 'docker: up$'; then
  reason=$(echo "$engine" | grep -o 'SKIPPED — .*' | sed 's/^SKIPPED — //; s/; the tests that need it.*//')
  in_ci && fail "no Docker engine in CI: $reason"
  skip "no Docker engine: $reason"
fi
if ! command -v docker-compose >/dev/null || ! docker info >/dev/null 2>&1; then
  in_ci && fail "docker-compose or the Docker engine is missing"
  skip "docker-compose or the Docker engine is missing"
fi
log "docker engine $(docker version --format '{{.Server.Version}}') ($(docker info --format '{{.Driver}}'))"

# ---- 3. compose validation ----------------------------------------------------------------------
mkdir -p "$work/compose"
cp docker-compose.yml "$work/compose/docker-compose.yml"
if [ -f .env.example ]; then
  grep -vE '^\s*(_APP_DB_HOST|_APP_REDIS_HOST|_APP_DB_PORT|_APP_REDIS_PORT|_APP_REDIS_PREFIX|OPEN_RUNTIMES_NETWORK)=' .env.example >"$work/compose/.env"
else
  printf '_APP_ENV=production\n_APP_DB_SCHEMA=appconda\n_APP_DB_USER=user\n_APP_DB_PASS=password\n_APP_DB_ROOT_PASS=rootsecretpassword\n' >"$work/compose/.env"
fi
# The services' hosts are the compose service names; the runtime network gets a name of its own here.
printf '_APP_DB_HOST=mariadb\n_APP_DB_PORT=3306\n_APP_REDIS_HOST=redis\n_APP_REDIS_PORT=6379\nOPEN_RUNTIMES_NETWORK=%s_runtime\n' "$project" >>"$work/compose/.env"
cat >"$work/compose/docker-compose.test.yml" <<'EOF'
version: '3.8'
services:
  appconda:
    ports:
      - '127.0.0.1::80'
EOF
compose() { (cd "$work/compose" && docker-compose -p "$project" -f docker-compose.yml -f docker-compose.test.yml "$@"); }
log "docker-compose config -q"
(cd "$work/compose" && docker-compose config -q) || fail "docker-compose config rejects docker-compose.yml"

# ---- 4. images ----------------------------------------------------------------------------------
log "base images"
bash tools/images/build-base-images.sh node mariadb redis influxdb || fail "building the base images failed"
[ -d node_modules ] || fail "node_modules is missing: run npm ci first (the image build reuses it, offline)"
log "building $IMAGE"
build_started=$(date +%s)
# The context is staged: only what the Dockerfile copies (node_modules hard-linked, the rest copied), so
# files that come and go elsewhere in a busy working tree cannot break docker's walk of the context.
context="$work/context"
mkdir -p "$context/tools/docker"
cp -a package.json package-lock.json tsconfig.base.json .dockerignore "$context/"
# Sources being edited by someone else may vanish mid-copy: that file is then just not in the image.
cp -a apps libs "$context/" 2>"$work/cp.log" || echo "docker-test: warning: $(head -3 "$work/cp.log" | tr '\n' ' ')"
cp -a tools/build.mjs tools/swc.cjs tools/console-build.cjs tools/cli "$context/tools/"
cp -a tools/docker/healthcheck.js tools/docker/prune-dev-modules.cjs "$context/tools/docker/"
cp -al node_modules "$context/node_modules" 2>/dev/null || { rm -rf "$context/node_modules"; cp -a node_modules "$context/node_modules"; }
docker build --force-rm -f deploy/Dockerfile -t "$IMAGE" "$context" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "docker build of $IMAGE failed"; }
log "built $IMAGE in $(($(date +%s) - build_started))s, $(docker image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%d MB", $1/1000/1000}')"

# ---- 5. a running subset ------------------------------------------------------------------------
log "starting mariadb, redis and influxdb as project $project"
stack_up=true
compose up -d --no-deps mariadb redis influxdb >"$work/up.log" 2>&1 || { cat "$work/up.log"; fail "docker-compose up failed"; }
for _ in $(seq 1 120); do
  compose exec -T mariadb mariadb-admin --protocol=tcp -h127.0.0.1 ping >/dev/null 2>&1 \
    && compose exec -T redis redis-cli ping 2>/dev/null | grep -q PONG && break
  sleep 1
done
compose exec -T mariadb mariadb-admin --protocol=tcp -h127.0.0.1 ping >/dev/null 2>&1 || fail "mariadb did not accept connections within 120 s"
# The mariadb entrypoint created the application's schema and user from .env (MYSQL_* in compose).
env_value() { grep -E "^$1=" "$work/compose/.env" | tail -1 | cut -d= -f2-; }
db_schema=$(env_value _APP_DB_SCHEMA) db_user=$(env_value _APP_DB_USER) db_pass=$(env_value _APP_DB_PASS)
compose exec -T mariadb mariadb --protocol=tcp -h127.0.0.1 -u"${db_user:-user}" -p"${db_pass:-password}" "${db_schema:-appconda}" -e 'SELECT 1' >/dev/null \
  || fail "mariadb has no user ${db_user:-user} with access to schema ${db_schema:-appconda}"
root_pass=$(env_value _APP_DB_ROOT_PASS)
compose exec -T mariadb mariadb --protocol=tcp -h127.0.0.1 -uroot -p"${root_pass:-rootsecretpassword}" -e 'SELECT 1' >/dev/null \
  || fail "mariadb's root password is not _APP_DB_ROOT_PASS"
log "mariadb and redis answer (user ${db_user:-user} owns schema ${db_schema:-appconda}); starting the api and worker-audits"
compose up -d --no-deps appconda appconda-worker-audits >>"$work/up.log" 2>&1 || { cat "$work/up.log"; fail "docker-compose up failed"; }

# The published port is read again on every try: a restarted container gets a new one.
version=""
for _ in $(seq 1 120); do
  api_port=$(compose port appconda 80 2>/dev/null | tail -1)
  if [ -n "$api_port" ]; then
    version=$(node -e '
      require("http").get(`http://${process.argv[1]}/v1/health/version`, (res) => {
        let body = ""; res.on("data", (c) => (body += c));
        res.on("end", () => { if (res.statusCode === 200) console.log(body); process.exit(0); });
      }).on("error", () => process.exit(0));' "$api_port")
  fi
  [ -n "$version" ] && break
  sleep 1
done
[ -n "$version" ] || fail "GET http://${api_port:-<no published port>}/v1/health/version did not answer 200 within 120 s"
node -e 'const v = JSON.parse(process.argv[1]).version; if (!/^\d+\.\d+\.\d+/.test(v)) { console.error(`bad version "${v}"`); process.exit(1); }' "$version" \
  || fail "/v1/health/version answered $version"
log "GET http://$api_port/v1/health/version -> $version"

for _ in $(seq 1 90); do
  compose logs --no-color appconda-worker-audits 2>/dev/null | grep -q '"event":"ready"' && break
  sleep 1
done
compose logs --no-color appconda-worker-audits 2>/dev/null | grep -q '"event":"ready"' || fail "worker-audits did not log its ready line within 90 s"
log "worker-audits logged its ready line"

for service in appconda appconda-worker-audits; do
  compose exec -T "$service" node tools/docker/healthcheck.js || fail "the image's health check fails in $service"
  uid=$(compose exec -T "$service" id -u | tr -d '\r')
  [ "$uid" != 0 ] || fail "$service runs as root"
done
compose exec -T appconda node -e '
  require("http").get("http://influxdb:8086/ping", (res) => process.exit(res.statusCode === 204 ? 0 : 1)).on("error", () => process.exit(1));' \
  || fail "influxdb does not answer GET /ping from the api container"
[ "$(docker image inspect "$IMAGE" --format '{{if .Config.Healthcheck}}yes{{end}}')" = yes ] || fail "$IMAGE declares no HEALTHCHECK"
log "health checks pass; api and worker-audits run as uid $uid; influxdb answers /ping"

# Workers scale: no container name or host port pins them.
compose up -d --no-deps --scale appconda-worker-functions=2 appconda-worker-functions >>"$work/up.log" 2>&1 \
  || { cat "$work/up.log"; fail "docker-compose up --scale appconda-worker-functions=2 failed"; }
ready=0
for _ in $(seq 1 90); do
  ready=$(compose logs --no-color appconda-worker-functions 2>/dev/null | grep -c '"event":"ready"' || true)
  [ "$ready" -ge 2 ] && break
  sleep 1
done
[ "$ready" -ge 2 ] || fail "2 scaled worker-functions containers did not both log their ready line ($ready did)"
log "appconda-worker-functions scaled to 2, both ready"

log "PASS in $(($(date +%s) - started))s"
