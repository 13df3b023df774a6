// Functions benchmark: cold start, warm sync execution latency (p50/p99) and executions/s at 1, 8 and
// 32 concurrent callers, for the process and the docker drivers. Not a test; run by hand:
//   node tools/build.mjs --all && node bench/functions/run.mjs [process] [docker]
// Each driver gets its own executor process (`node tools/cli/appconda.js executor`) with a fresh Redis
// prefix and storage folder; this script is the caller, through ExecutorClient over the Redis transport
// exactly as the api and worker-functions call it. The function answers at once (res.send('ok')), so the
// latency is the whole overhead above the user code: client → Redis → executor → runtime → back.
// Env: BENCH_SECONDS (per concurrency level, default 8), BENCH_COLD (cold starts per driver, default 5).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const COLD = Number(process.env.BENCH_COLD ?? 5);
const LEVELS = [1, 8, 32];
const drivers = process.argv.slice(2).filter((a) => a === 'process' || a === 'docker');
if (drivers.length === 0) drivers.push('process', 'docker');

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n) => n.toFixed(2);

function startExecutor(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), 'executor'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      if (/"event":"ready"/.test(out)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`executor exited (${code}): ${out.slice(-2000)}`)));
  });
}

async function benchDriver(driver) {
  const storage = mkdtempSync(path.join(tmpdir(), 'appconda-bench-fn-'));
  const prefix = `appconda_t_bench${randomBytes(4).toString('hex')}`;
  const env = {
    _APP_REDIS_PREFIX: prefix,
    _APP_STORAGE_ROOT: storage,
    _APP_EXECUTOR_SECRET: randomBytes(16).toString('hex'),
    _APP_EXECUTOR_DRIVER: driver,
    _APP_EXECUTOR_RUNTIME_NETWORK: `${prefix}_runtimes`,
    _APP_FUNCTIONS_CONTAINERS: String(COLD + 2),
    _APP_LOG_LEVEL: 'info',
  };
  Object.assign(process.env, env);
  const executor = await startExecutor(env);
  const { ExecutorClient } = require(path.join(root, 'dist/libs/transport/src/index.js'));
  const { appConfig, resetAppConfig } = require(path.join(root, 'dist/libs/config/src/index.js'));
  resetAppConfig();
  const client = new ExecutorClient(appConfig());
  const call = (deploymentId) => ({ projectId: 'bench', functionId: 'fn', deploymentId, runtime: 'node-18.0' });
  try {
    const code = path.join(storage, 'src');
    mkdirSync(code);
    writeFileSync(path.join(code, 'index.js'), "module.exports = (req, res) => res.send('ok');");
    mkdirSync(path.join(storage, 'functions'), { recursive: true });
    const source = path.join(storage, 'functions', 'code.tar.gz');
    execFileSync('tar', ['-czf', source, '-C', code, 'index.js']);

    const cold = [];
    let warmTarget;
    for (let i = 0; i < COLD; i += 1) {
      const build = await client.build({ ...call(`d${i}`), source, entrypoint: 'index.js', timeout: 120, variables: {} });
      if (build.status !== 'ready') throw new Error(`build failed: ${build.stderr}`);
      const request = { ...call(`d${i}`), buildPath: build.path, entrypoint: 'index.js', variables: { A: '1' }, payload: '', timeout: 15 };
      const started = performance.now();
      const result = await client.execute(request);
      cold.push(performance.now() - started);
      if (result.statusCode !== 200) throw new Error(`cold execution failed: ${result.stderr}`);
      warmTarget = request;
    }
    for (let i = 0; i < 50; i += 1) await client.execute(warmTarget);

    const rows = [];
    for (const level of LEVELS) {
      const latencies = [];
      let failures = 0;
      const until = performance.now() + SECONDS * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: level }, async () => {
          while (performance.now() < until) {
            const t = performance.now();
            const result = await client.execute(warmTarget);
            latencies.push(performance.now() - t);
            if (result.statusCode !== 200) failures += 1;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      rows.push({ level, count: latencies.length, failures, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rate: latencies.length / elapsed });
    }
    cold.sort((a, b) => a - b);
    return { driver, cold: { p50: percentile(cold, 50), max: cold.at(-1), runs: cold.length }, rows };
  } finally {
    for (let i = 0; i < COLD; i += 1) await client.deleteRuntime(call(`d${i}`)).catch(() => undefined);
    await client.onApplicationShutdown();
    executor.kill('SIGTERM');
    await new Promise((resolve) => executor.once('exit', resolve));
    rmSync(storage, { recursive: true, force: true });
    if (driver === 'docker') {
      // Runtime containers outlive their executor on purpose (a restart adopts them): remove this run's.
      const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=appconda.executor=${prefix}`]).toString().split('\n').filter(Boolean);
      if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
      execFileSync('docker', ['network', 'rm', `${prefix}_runtimes`], { stdio: 'ignore' });
    }
  }
}

const results = [];
for (const driver of drivers) {
  try {
    results.push(await benchDriver(driver));
  } catch (error) {
    console.error(`${driver}: ${error.message}`);
  }
}
console.log(`\nFunctions benchmark (${SECONDS} s per level, ${COLD} cold starts, node ${process.version})\n`);
console.log('| driver | cold start p50 (max) | callers | executions | executions/s | p50 ms | p99 ms | failed |');
console.log('|---|---|---|---|---|---|---|---|');
for (const { driver, cold, rows } of results) {
  for (const row of rows) {
    console.log(`| ${driver} | ${row.level === 1 ? `${ms(cold.p50)} ms (${ms(cold.max)})` : ''} | ${row.level} | ${row.count} | ${row.rate.toFixed(0)} | ${ms(row.p50)} | ${ms(row.p99)} | ${row.failures} |`);
  }
}
process.exit(0);
