#!/usr/bin/env bash
# The test command (`npm test`): the services the tests need (tools/ci/ensure-services.sh: MariaDB and
# Redis started if down; InfluxDB and Docker installed and started where this machine allows), then
# typecheck, lint, unit + integration tests against the real MariaDB and Redis, the SDK end-to-end
# suite against the running services, and the image/compose test. Ends with the steps that were
# skipped (and why) and one summary line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=${NX_SKIP_NX_CACHE:-false}
results=$(mktemp -d)
status=0
step() { echo; echo "== $1 ($(date +%T))"; }

step services
bash tools/ci/ensure-services.sh 2>&1 | tee "$results/services.log"
if [ "${PIPESTATUS[0]}" != 0 ]; then
  echo "npm test: MariaDB and Redis are required (see above); stopping here."
  exit 1
fi

step typecheck
npx tsc -p tsconfig.check.json || status=1

step lint
npx nx run-many -t lint --outputStyle=static --parallel=2 || status=1

step "unit and integration tests"
npx jest -c jest.config.cjs --forceExit --json --outputFile="$results/unit.json" || status=1

step build
node tools/build.mjs --all || status=1

if [ -f apps/api-e2e/jest.config.cjs ]; then
  step "SDK end-to-end tests"
  npx jest -c apps/api-e2e/jest.config.cjs --runInBand --forceExit --json --outputFile="$results/e2e.json" || status=1
fi

if [ -f tools/docker/test.sh ]; then
  step "image and compose"
  bash tools/docker/test.sh 2>&1 | tee "$results/docker.log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
fi

echo
skipped=$(grep -hE 'SKIPPED|SKIP ' "$results/services.log" "$results/docker.log" 2>/dev/null | sed 's/^/  /')
if [ -n "$skipped" ]; then echo "skipped steps:"; echo "$skipped"; else echo "skipped steps: none"; fi

node -e '
const fs = require("fs"); let p = 0, f = 0, s = 0;
for (const file of fs.readdirSync(process.argv[1]).filter((name) => name.endsWith(".json"))) {
  const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + file, "utf8"));
  p += r.numPassedTests; f += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0); s += r.numPendingTests;
}
console.log(`\n${p} passed, ${f} failed, ${s} skipped`);
' "$results"
exit $status
