#!/usr/bin/env node
// The long fuzz run of issue 16: starts `appconda all` (own schema, Redis prefix, storage directory,
// free loopback ports), then fuzzes every route of the api app — from the @Route declarations and DTOs
// (libs/testing/src/route-catalogue.ts) — with fast-check generated hostile requests
// (libs/testing/src/fuzz), and prints the counts. See bench/README.md, "Fuzzing".
//
//   node tools/build.mjs --all
//   node bench/fuzz/run.mjs [--requests=100000] [--minutes=30] [--seed=20230816] [--concurrency=8] [--per-round=4]
//                           [--entry=tools/cli/appconda.js]   (the launcher started as `<entry> all`)
//
// Exit code 0 only when the server stayed up and there were no unexpected 5xx, bad error shapes or
// unanswered requests. Everything of the run is removed at the end (also on failure or Ctrl-C).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort, stopProcess, waitForHealth } from '../support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const args = { requests: 100_000, minutes: 30, seed: 20230816, concurrency: 8, perRound: 4, entry: 'tools/cli/appconda.js' };
  for (const arg of argv) {
    const [, name, value] = /^--([a-z-]+)=(.*)$/.exec(arg) ?? [];
    const key = name === 'per-round' ? 'perRound' : name;
    if (!key || !(key in args)) throw new Error(`unknown argument ${arg}`);
    args[key] = key === 'entry' ? value : Number(value);
  }
  return args;
}

const log = (message) => process.stderr.write(`[fuzz] ${message}\n`);

async function cleanup(run, child) {
  await stopProcess(child);
  const mariadb = require('mariadb');
  const conn = await mariadb.createConnection({ host: '127.0.0.1', user: 'root', password: '' });
  await conn.query(`DROP DATABASE IF EXISTS \`${run.schema}\``);
  await conn.end();
  const Redis = require('ioredis');
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${run.prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  await fetch(`http://127.0.0.1:8086/query?${new URLSearchParams({ q: `DROP DATABASE "${run.prefix}"` })}`, { method: 'POST' }).catch(() => undefined);
  rmSync(run.storage, { recursive: true, force: true });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const run = { schema: `appconda_fuzz_${id}`, prefix: `appconda_fuzz_${id}`, storage: path.join(tmpdir(), `appconda-fuzz-${id}`) };
  const logFile = path.join(tmpdir(), `appconda-fuzz-${id}.log`);
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    _APP_ENV: 'production',
    _APP_PORT: String(port),
    _APP_REALTIME_PORT: String(await freePort()),
    _APP_DB_SCHEMA: run.schema,
    _APP_REDIS_PREFIX: run.prefix,
    _APP_INFLUXDB_HOST: '127.0.0.1',
    _APP_LOG_LEVEL: process.env._APP_LOG_LEVEL ?? 'warn',
    APPCONDA_ENV_FILE: '/nonexistent',
    // No SMTP server: mail routes answer 503 general_smtp_disabled by design; nothing leaves loopback.
    _APP_SMTP_HOST: '',
    _APP_CONSOLE_WHITELIST_ROOT: 'disabled',
    _APP_STORAGE_ROOT: run.storage,
  };
  mkdirSync(run.storage, { recursive: true });
  const out = openSync(logFile, 'a');
  log(`starting appconda all on 127.0.0.1:${port} (log: ${logFile})`);
  const child = spawn(process.execPath, [path.resolve(root, args.entry), 'all'], { cwd: root, env, stdio: ['ignore', out, out] });
  let exitedWith;
  child.once('exit', (code, signal) => (exitedWith = { code, signal }));
  let interrupted = false;
  process.once('SIGINT', () => (interrupted = true));
  let report;
  try {
    const endpoint = `http://127.0.0.1:${port}/v1`;
    await waitForHealth(`${endpoint}/health/version`, child, 120_000);
    const { ApiModule } = require(path.join(root, 'dist/apps/api/src/api.module.js'));
    const { routeCatalogue } = require(path.join(root, 'dist/libs/testing/src/route-catalogue.js'));
    const { fuzzableRoutes, runFuzz } = require(path.join(root, 'dist/libs/testing/src/fuzz/index.js'));
    const catalogue = routeCatalogue(ApiModule);
    const routes = fuzzableRoutes(catalogue);
    log(`${routes.length} of ${catalogue.length} routes (left out, off loopback: ${catalogue.length - routes.length}), seed ${args.seed}, up to ${args.requests} requests or ${args.minutes} min, ${args.concurrency} in flight`);
    let lastPrinted = 0;
    report = await runFuzz({
      endpoint,
      routes,
      seed: args.seed,
      maxRequests: interrupted ? 0 : args.requests,
      maxDurationMs: args.minutes * 60_000,
      concurrency: args.concurrency,
      perRound: args.perRound,
      onProgress: (progress) => {
        if (progress.requests - lastPrinted < 5_000) return;
        lastPrinted = progress.requests;
        log(`${progress.requests} requests, ${Math.round(progress.durationMs / 1000)} s, 5xx unexpected ${progress.unexpected5xx}, bad shapes ${progress.badShapes}, no answer ${progress.noAnswer}`);
      },
    });
    report.crashed = exitedWith !== undefined || child.exitCode !== null;
    report.command = `node bench/fuzz/run.mjs --requests=${args.requests} --minutes=${args.minutes} --seed=${args.seed} --concurrency=${args.concurrency} --per-round=${args.perRound}`;
    mkdirSync(path.join(here, 'results'), { recursive: true });
    const file = path.join(here, 'results', `${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z.json`);
    writeFileSync(file, JSON.stringify(report, null, 1));
    const { findings, statuses, ...totals } = report;
    console.log(JSON.stringify(totals, null, 1));
    console.log('statuses', JSON.stringify(statuses));
    for (const finding of findings.slice(0, 20)) console.log(JSON.stringify(finding));
    log(`report written to ${path.relative(root, file)}`);
  } finally {
    await cleanup(run, child).catch((error) => log(`cleanup failed: ${error.message}`));
  }
  const failed = !report || report.crashed || !report.serverUp || report.unexpected5xx || report.badShapes || report.noAnswer;
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
