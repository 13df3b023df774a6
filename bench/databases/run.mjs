#!/usr/bin/env node
// Databases benchmark: Appconda's documents endpoints (API key, default configuration) against a
// floor server doing the same four operations straight on the `mariadb` driver. See bench/README.md.
//
//   node bench/databases/run.mjs [--duration=10] [--warmup=3] [--connections=20] [--count=10000]
//                                [--rounds=3] [--targets=floor,appconda]
//                                [--workloads=get,list,listTotal,create,update] [--profile=<workload>]
//                                [--entry=tools/cli/appconda.js]   (the launcher started as `<entry> all`)
//   node bench/databases/run.mjs --report=bench/databases/results/<file>.json   (table of a saved run)
//
// Both servers are started and seeded first; then, per round and per workload, the floor and
// Appconda are loaded one after the other (never both at once). Every load run is a separate Node
// process (load.mjs). Schemas, Redis keys and temp dirs of the run are removed at the
// end, also on failure or Ctrl-C.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DOCUMENT_COUNT, documentData, idOf, LIST_LIMIT, runId, TOTAL_CAP } from './data.mjs';
import { summariseProfile } from './profile.mjs';
import { freePort, stopProcess as stopChild, waitForHealth } from '../support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);

const WORKLOADS = ['get', 'list', 'listTotal', 'create', 'update'];
/** Share of the floor's req/s Appconda must reach, per workload. */
const TARGETS = { get: 0.5, list: 0.5, listTotal: 0.6, create: 0.45, update: 0.45 };
const LABELS = { get: 'get by id', list: 'list 25', listTotal: 'list 25 + total', create: 'create', update: 'update 1 field' };
/** The whole run is aborted (and cleaned up) after this long. */
const RUN_LIMIT_MS = 40 * 60_000;

function parseArgs(argv) {
  const args = {
    duration: 10,
    warmup: 3,
    connections: 20,
    count: DOCUMENT_COUNT,
    rounds: 3,
    targets: ['floor', 'appconda'],
    workloads: WORKLOADS,
    profile: null,
    entry: 'tools/cli/appconda.js',
  };
  for (const arg of argv) {
    const [, name, value] = /^--([a-z]+)(?:=(.*))?$/.exec(arg) ?? [];
    if (!name) throw new Error(`unknown argument ${arg}`);
    if (['duration', 'warmup', 'connections', 'count', 'rounds'].includes(name)) args[name] = Number(value);
    else if (name === 'targets' || name === 'workloads') args[name] = value.split(',').filter(Boolean);
    else if (name === 'profile') args.profile = value;
    else if (name === 'entry') args.entry = value;
    else if (name === 'report') args.report = value;
    else throw new Error(`unknown argument --${name}`);
  }
  for (const w of args.workloads) if (!WORKLOADS.includes(w)) throw new Error(`unknown workload ${w}`);
  if (args.profile) {
    if (!WORKLOADS.includes(args.profile)) throw new Error(`unknown workload ${args.profile}`);
    args.targets = ['appconda'];
    args.workloads = [args.profile];
    args.rounds = 1;
  }
  if (!(args.rounds >= 1 && args.rounds <= 10)) throw new Error('--rounds must be 1..10');
  if (!(args.count >= LIST_LIMIT && args.count <= 100_000)) throw new Error('--count must be between 25 and 100000');
  if (!(args.duration > 0 && args.duration <= 120)) throw new Error('--duration must be 1..120 s');
  return args;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// ---------------------------------------------------------------------------------------------------
// Cleanup: every resource registers its undo; run in reverse order once, whatever happens.
const undo = [];
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const step of undo.reverse()) {
    try {
      await step();
    } catch (error) {
      log(`cleanup step failed: ${error.message}`);
    }
  }
}

async function stopProcess(child, name) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await stopChild(child);
  log(`${name} stopped`);
}

function dbConnection() {
  const mariadb = require('mariadb');
  return mariadb.createConnection({
    host: process.env._APP_DB_HOST ?? '127.0.0.1',
    port: Number(process.env._APP_DB_PORT ?? 3306),
    user: process.env._APP_DB_USER ?? 'root',
    password: process.env._APP_DB_PASS ?? '',
  });
}

async function dropSchema(schema) {
  const conn = await dbConnection();
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${schema.replace(/[^A-Za-z0-9_]/g, '')}\``);
  } finally {
    await conn.end();
  }
}

async function deleteRedisKeys(prefix) {
  const Redis = require('ioredis');
  const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
  await redis.connect();
  let cursor = '0';
  let deleted = 0;
  for (let round = 0; round < 100_000; round++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
    if (cursor === '0') break;
  }
  await redis.quit();
  return deleted;
}

/** Jobs waiting, active or delayed in every Bull queue under the prefix (`<prefix>:<queue>:wait|active|delayed`). */
async function queueDepth(redis, prefix) {
  const depth = {};
  for (const kind of ['wait', 'active', 'delayed']) {
    let cursor = '0';
    for (let round = 0; round < 1000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*:${kind}`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const n = kind === 'delayed' ? await redis.zcard(key) : await redis.llen(key);
        if (n) depth[key.slice(prefix.length + 1)] = n;
      }
      if (cursor === '0') break;
    }
  }
  return depth;
}

/** Waits (at most limitMs) until Appconda's queues are empty, so a backlog never runs during another measurement. */
async function drainQueues(redis, prefix, limitMs = 180_000) {
  const started = Date.now();
  for (;;) {
    const depth = await queueDepth(redis, prefix);
    const total = Object.values(depth).reduce((a, b) => a + b, 0);
    if (!total) return Date.now() - started;
    if (Date.now() - started > limitMs) {
      log(`queues still hold ${total} jobs after ${limitMs / 1000} s: ${JSON.stringify(depth)}`);
      return Date.now() - started;
    }
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------------
// CPU time of a process from /proc (Linux): the sum over its threads of schedstat's on-CPU
// nanoseconds (finer and more up to date than the tick counters of /proc/<pid>/stat).
function cpuSeconds(pid) {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // thread ended
      }
    }
    return ns / 1e9;
  } catch {
    return null;
  }
}

function findPid(command) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Load: one child process per workload.
function runLoad(config, onMeasuring) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'load.mjs'), JSON.stringify(config)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => {
      const before = out;
      out += c;
      if (!before.includes('"measuring"') && out.includes('"measuring"')) onMeasuring();
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), (config.duration + config.warmup + 60) * 1000);
    child.on('exit', (code) => {
      clearTimeout(limit);
      if (code !== 0) return reject(new Error(`load ${config.target}/${config.workload} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

/** One measured load run of one workload against one target, with the CPU both servers used meanwhile. */
async function measureOnce(target, workload, args, queues) {
  const drainedMs = queues ? await drainQueues(queues.redis, queues.prefix) : null;
  const mariadbPid = findPid('mariadbd') ?? findPid('mysqld');
  const snapshot = () => ({ server: cpuSeconds(target.pid), mariadb: mariadbPid ? cpuSeconds(mariadbPid) : null, at: Date.now() });
  let before = null;
  const result = await runLoad(
    { target: target.name, workload, duration: args.duration, warmup: args.warmup, connections: args.connections, count: args.count, ...target.load },
    () => (before = snapshot()),
  );
  const after = snapshot();
  const seconds = (after.at - before.at) / 1000;
  const used = (key) => (after[key] === null || before[key] === null ? null : after[key] - before[key]);
  // CPU over the measured run only: % of one core, and CPU milliseconds per answered request.
  result.cpuPercent = { server: Math.round((used('server') / seconds) * 100), mariadb: mariadbPid ? Math.round((used('mariadb') / seconds) * 100) : null };
  result.cpuMsPerRequest = {
    server: Math.round((used('server') / Math.max(1, result.requests)) * 1e6) / 1000,
    mariadb: mariadbPid ? Math.round((used('mariadb') / Math.max(1, result.requests)) * 1e6) / 1000 : null,
  };
  result.loadAverage = loadavg()[0];
  result.window = { start: before.at, end: after.at };
  if (queues)
    result.queues = { drainedBeforeMs: drainedMs, ...(target.name === 'appconda' ? { backlogAfter: await queueDepth(queues.redis, queues.prefix) } : {}) };
  const bad = result.errors + result.timeouts + result.non2xx;
  const backlog = result.queues?.backlogAfter ? Object.values(result.queues.backlogAfter).reduce((a, b) => a + b, 0) : 0;
  log(
    `${target.name} ${workload}: ${Math.round(result.rps)} req/s p50 ${result.p50} ms p99 ${result.p99} ms; CPU server ${result.cpuPercent.server}% ` +
      `(${result.cpuMsPerRequest.server} ms/req), mariadb ${result.cpuPercent.mariadb}% (${result.cpuMsPerRequest.mariadb} ms/req), loader ${result.loaderCpuPercent}%, ` +
      `load avg ${result.loadAverage.toFixed(1)}${backlog ? `, queue backlog ${backlog}` : ''}${bad ? ` (${bad} FAILED)` : ''}`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Floor.
async function startFloor(args, run) {
  const schema = `appconda_bench_floor_${run}`;
  undo.push(() => dropSchema(schema));
  const child = spawn(process.execPath, [path.join(here, 'floor.mjs')], {
    cwd: root,
    env: { ...process.env, FLOOR_SCHEMA: schema, FLOOR_COUNT: String(args.count) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  undo.push(() => stopProcess(child, 'floor'));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('floor did not start within 120 s')), 120_000);
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.includes('"ready"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).port);
      }
    });
    child.once('exit', (code) => reject(new Error(`floor exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  await sanityCheck(url, floorRoutes(), args.count);
  log(`floor ready on ${url} with ${args.count} rows`);
  return { name: 'floor', pid: child.pid, load: { url }, stop: () => stopProcess(child, 'floor') };
}

const floorRoutes = () => ({ headers: {}, one: (id) => `/documents/${id}`, list: (gt) => `/documents?gt=${gt}&total=1` });

// ---------------------------------------------------------------------------------------------------
// Appconda.
async function request(url, init, expected) {
  const res = await fetch(url, init);
  const text = await res.text();
  const body = text ? JSON.parse(text) : {};
  if (expected && res.status !== expected) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return { status: res.status, body, headers: res.headers };
}

/** The console steps of apps/api-e2e/support/console.ts: sign-up, session, organization, project, all-scopes key. */
async function bootstrapConsole(endpoint) {
  const { API_KEY_SCOPES } = require(path.join(root, 'dist/libs/contracts/src/index.js'));
  const email = `bench-${runId()}@example.test`;
  const password = `pw-${runId()}${runId()}`;
  const json = { 'content-type': 'application/json', 'x-appwrite-project': 'console' };
  await request(`${endpoint}/account`, { method: 'POST', headers: json, body: JSON.stringify({ userId: 'unique()', email, password, name: 'bench' }) }, 201);
  const login = await request(`${endpoint}/account/sessions/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) }, 201);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('a_session_console='));
  if (!cookie) throw new Error('no console session cookie');
  const headers = { ...json, cookie: cookie.split(';')[0] };
  const post = async (p, body) => (await request(`${endpoint}${p}`, { method: 'POST', headers, body: JSON.stringify(body) }, 201)).body;
  const team = await post('/teams', { teamId: 'unique()', name: 'bench organization' });
  const project = await post('/projects', { projectId: 'unique()', name: 'bench project', teamId: team.$id });
  const key = await post(`/projects/${project.$id}/keys`, { name: 'bench', scopes: [...API_KEY_SCOPES] });
  return { projectId: project.$id, key: key.secret };
}

async function createCollection(endpoint, projectId, key) {
  const headers = { 'content-type': 'application/json', 'x-appwrite-project': projectId, 'x-appwrite-key': key };
  const call = (method, p, body, expected) => request(`${endpoint}${p}`, { method, headers, body: body && JSON.stringify(body) }, expected);
  const databaseId = 'bench';
  const collectionId = 'documents';
  const col = `/databases/${databaseId}/collections/${collectionId}`;
  await call('POST', '/databases', { databaseId, name: 'Bench' }, 201);
  await call(
    'POST',
    `/databases/${databaseId}/collections`,
    {
      collectionId,
      name: 'Documents',
      permissions: ['read("any")', 'create("any")', 'update("any")'],
      documentSecurity: false,
    },
    201,
  );
  await call('POST', `${col}/attributes/string`, { key: 'title', size: 128, required: false }, 202);
  await call('POST', `${col}/attributes/integer`, { key: 'rank', required: false }, 202);
  await call('POST', `${col}/attributes/string`, { key: 'tag', size: 32, required: false }, 202);
  await waitAvailable(
    call,
    ['title', 'rank', 'tag'].map((k) => `${col}/attributes/${k}`),
  );
  await call('POST', `${col}/indexes`, { key: 'rank_idx', type: 'key', attributes: ['rank'], orders: ['ASC'] }, 202);
  await call('POST', `${col}/indexes`, { key: 'tag_idx', type: 'key', attributes: ['tag'], orders: ['ASC'] }, 202);
  await waitAvailable(
    call,
    ['rank_idx', 'tag_idx'].map((k) => `${col}/indexes/${k}`),
  );
  return { databaseId, collectionId, call };
}

async function waitAvailable(call, paths) {
  const deadline = Date.now() + 60_000;
  for (const p of paths) {
    for (;;) {
      const { body } = await call('GET', p, undefined, 200);
      if (body.status === 'available') break;
      if (body.status === 'failed' || body.status === 'stuck') throw new Error(`${p} is ${body.status}: ${body.error ?? ''}`);
      if (Date.now() > deadline) throw new Error(`${p} not available after 60 s (status ${body.status})`);
      await sleep(200);
    }
  }
}

/** 10 000 creates through the API with bounded concurrency (the seeding is not measured). */
async function seed(call, databaseId, collectionId, count) {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await call('POST', `/databases/${databaseId}/collections/${collectionId}/documents`, { documentId: idOf(i), data: documentData(i, count) }, 201);
      if (Date.now() - started > 10 * 60_000) throw new Error('seeding took more than 10 minutes');
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  log(`seeded ${count} documents through the API in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function startAppconda(args, run, files) {
  const schema = `appconda_bench_${run}`;
  const prefix = `appconda_bench_${run}`;
  const storage = path.join(tmpdir(), `appconda-bench-${run}`);
  undo.push(() => rmSync(storage, { recursive: true, force: true }));
  undo.push(async () => log(`removed ${await deleteRedisKeys(prefix)} Redis keys under ${prefix}`));
  undo.push(() => dropSchema(schema));
  const port = await freePort();
  const env = {
    ...process.env,
    _APP_PORT: String(port),
    _APP_REALTIME_PORT: String(await freePort()),
    _APP_DB_SCHEMA: schema,
    _APP_REDIS_PREFIX: prefix,
    _APP_STORAGE_ROOT: storage,
    // No .env of the working tree: Appconda's own defaults (abuse, audits, usage, events all enabled).
    APPCONDA_ENV_FILE: '/nonexistent',
  };
  const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${files.profileDir}`] : [];
  const logFd = openSync(files.appcondaLog, 'a');
  const child = spawn(process.execPath, [...nodeArgs, path.resolve(root, args.entry), 'all'], { cwd: root, env, stdio: ['ignore', logFd, logFd] });
  const spawnedAt = Date.now();
  closeSync(logFd);
  undo.push(() => stopProcess(child, 'appconda'));
  const endpoint = `http://127.0.0.1:${port}/v1`;
  await waitForHealth(`${endpoint}/health/version`, child, 300_000);
  log(`appconda ready on ${endpoint} (log: ${files.appcondaLog})`);

  const { projectId, key } = await bootstrapConsole(endpoint);
  const { databaseId, collectionId, call } = await createCollection(endpoint, projectId, key);
  await seed(call, databaseId, collectionId, args.count);
  const base = `/v1/databases/${databaseId}/collections/${collectionId}/documents`;
  const q = encodeURIComponent;
  await sanityCheck(
    `http://127.0.0.1:${port}`,
    {
      headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key },
      one: (id) => `${base}/${id}`,
      list: (gt) => `${base}?queries[]=${q(`greaterThan("rank", [${gt}])`)}&queries[]=${q('orderAsc("rank")')}&queries[]=${q(`limit(${LIST_LIMIT})`)}`,
    },
    args.count,
  );
  const Redis = require('ioredis');
  const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
  undo.push(() => redis.quit());
  log(`seeding left a queue backlog that took ${Math.round((await drainQueues(redis, prefix)) / 1000)} s to drain`);
  return {
    name: 'appconda',
    queues: { redis, prefix },
    pid: child.pid,
    load: { url: `http://127.0.0.1:${port}`, project: projectId, key, databaseId, collectionId },
    spawnedAt,
    stop: () => stopProcess(child, 'appconda'),
  };
}

/** One request of each kind before measuring, so a wrong answer is never timed. */
async function sanityCheck(origin, routes, count) {
  const i = 42;
  const doc = (await request(`${origin}${routes.one(idOf(i))}`, { headers: routes.headers }, 200)).body;
  const expected = documentData(i, count);
  if (doc.$id !== idOf(i) || doc.rank !== expected.rank || doc.title !== expected.title) throw new Error(`get answered ${JSON.stringify(doc)}`);
  const gt = Math.floor(count / 3);
  const list = (await request(`${origin}${routes.list(gt)}`, { headers: routes.headers }, 200)).body;
  const ranks = list.documents.map((d) => d.rank);
  const sorted = ranks.every((r, k) => r > gt && (k === 0 || r >= ranks[k - 1]));
  if (list.documents.length !== LIST_LIMIT || !sorted || list.total !== Math.min(TOTAL_CAP, count - gt - 1)) {
    throw new Error(`list answered total ${list.total} and ranks ${ranks.join(',')}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Report.
const median = (values) => {
  const v = [...values].sort((x, y) => x - y);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null;
};

/** Per workload: the round with the median req/s of each target, and the median of the paired per-round ratios. */
function summarise(rounds, args) {
  const summary = {};
  for (const workload of args.workloads) {
    const runsOf = (target) => rounds.map((r) => r[target]?.[workload]).filter(Boolean);
    const pick = (target) => {
      const runs = runsOf(target);
      if (!runs.length) return null;
      const m = median(runs.map((r) => r.rps));
      const r = runs.reduce((best, x) => (Math.abs(x.rps - m) < Math.abs(best.rps - m) ? x : best));
      // CPU ms per request of the server process and of mariadbd, medians over the rounds. mariadbd is
      // shared with whatever else runs on the machine, so only the server's figure is ours alone.
      const cpuMs = median(runs.map((x) => x.cpuMsPerRequest?.server ?? 0));
      const dbMs = median(runs.map((x) => x.cpuMsPerRequest?.mariadb ?? 0));
      return { rps: Math.round(r.rps), p50: r.p50, p99: r.p99, cpuMs: Math.round(cpuMs * 1000) / 1000, dbMs: Math.round(dbMs * 1000) / 1000 };
    };
    const ratios = rounds.filter((r) => r.appconda?.[workload] && r.floor?.[workload]).map((r) => r.appconda[workload].rps / r.floor[workload].rps);
    const ratio = ratios.length ? median(ratios) : null;
    const appconda = pick('appconda');
    const floor = pick('floor');
    summary[workload] = {
      appconda,
      floor,
      ratios: ratios.map((x) => Math.round(x * 1000) / 1000),
      ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000,
      // Floor's server CPU per request over Appconda's: the ratio a CPU-bound server process would reach.
      cpuRatio: appconda && floor && appconda.cpuMs ? Math.round((floor.cpuMs / appconda.cpuMs) * 1000) / 1000 : null,
      target: TARGETS[workload],
      met: ratio === null ? null : ratio >= TARGETS[workload],
    };
  }
  return summary;
}

function table(summary) {
  const rows = [
    [
      'workload',
      'appconda req/s',
      'p50 ms',
      'p99 ms',
      'srv ms',
      'db ms',
      'floor req/s',
      'p50 ms',
      'p99 ms',
      'srv ms',
      'db ms',
      'ratio',
      'per round',
      'srv cpu ratio',
      'target',
      '',
    ],
  ];
  const fmt = (r) => (r ? [r.rps, r.p50, r.p99, r.cpuMs, r.dbMs] : ['-', '-', '-', '-', '-']);
  const pct = (x) => `${Math.round(x * 100)}%`;
  for (const [workload, s] of Object.entries(summary)) {
    rows.push([
      LABELS[workload],
      ...fmt(s.appconda),
      ...fmt(s.floor),
      s.ratio === null ? '-' : pct(s.ratio),
      s.ratios.map(pct).join(' '),
      s.cpuRatio === null ? '-' : pct(s.cpuRatio),
      pct(s.target),
      s.met === null ? '' : s.met ? 'met' : 'MISSED',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((v, c) => String(v).padEnd(widths[c])).join('  ')).join('\n');
}

function printProfile(p, workload) {
  process.stdout.write(`\nCPU profile of appconda during "${workload}" (${p.samples} samples, ${p.idlePercent}% idle; ${p.file}):\n`);
  process.stdout.write('self time, top functions (% of busy samples):\n');
  for (const f of p.topFunctions.slice(0, 25)) {
    process.stdout.write(`  ${String(f.selfPercent).padStart(5)}%  ${f.name}  ${f.where}\n`);
    if (!/^(node_modules|dist)\//.test(f.where))
      for (const c of f.callers.slice(0, 3)) process.stdout.write(`           ${String(c.selfPercent).padStart(5)}% via ${c.caller}\n`);
  }
  process.stdout.write('self time by package/area:\n');
  for (const g of p.byArea.slice(0, 20)) process.stdout.write(`  ${String(g.selfPercent).padStart(5)}%  ${g.area}\n`);
  process.stdout.write('inclusive time of Appconda functions:\n');
  for (const f of p.appcondaInclusive.slice(0, 25)) process.stdout.write(`  ${String(f.inclusivePercent).padStart(5)}%  ${f.name}  ${f.where}\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.report) {
    // Prints the table of an earlier run's raw results again (no servers are started).
    const saved = JSON.parse(readFileSync(path.resolve(args.report), 'utf8'));
    process.stdout.write(`${table(summarise(saved.rounds, saved.args))}\n`);
    if (saved.profile) printProfile(saved.profile, saved.args.profile);
    return;
  }
  const run = runId();
  const resultsDir = path.join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const work = path.join(tmpdir(), `appconda-bench-work-${run}`);
  mkdirSync(work, { recursive: true });
  const files = { appcondaLog: path.join(work, 'appconda.log'), profileDir: path.join(work, 'profile') };
  if (args.profile) mkdirSync(files.profileDir, { recursive: true });
  else undo.push(() => rmSync(work, { recursive: true, force: true }));

  const limit = setTimeout(() => {
    log(`run exceeded ${RUN_LIMIT_MS / 60_000} minutes, aborting`);
    cleanup().finally(() => process.exit(1));
  }, RUN_LIMIT_MS);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => cleanup().finally(() => process.exit(130)));

  const results = {
    startedAt: new Date().toISOString(),
    node: process.version,
    floorPool: Number(process.env.FLOOR_POOL ?? 10),
    cpus: (await import('node:os')).cpus().length,
    args,
    rounds: [],
  };
  try {
    // Both servers are up (and seeded) before any load; only one of them is ever under load.
    const targets = [];
    if (args.targets.includes('floor')) targets.push(await startFloor(args, run));
    if (args.targets.includes('appconda')) targets.push(await startAppconda(args, run, files));
    const appconda = targets.find((t) => t.name === 'appconda');
    // Rounds alternate the targets per workload, so both see the same background load of the machine.
    for (let round = 0; round < args.rounds; round++) {
      const entry = {};
      for (const workload of args.workloads) {
        for (const target of targets) {
          entry[target.name] ??= {};
          entry[target.name][workload] = await measureOnce(target, workload, args, appconda?.queues);
        }
      }
      results.rounds.push(entry);
    }
    for (const target of targets) await target.stop();
    if (args.profile) {
      const file = readdirSync(files.profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error('no .cpuprofile was written');
      const last = results.rounds.at(-1).appconda[args.profile].window;
      const first = results.rounds[0].appconda[args.profile].window;
      const profile = JSON.parse(readFileSync(path.join(files.profileDir, file), 'utf8'));
      // Sample times count from the profile's start, which is the process start (a few ms after spawn).
      const window = { from: first.start - appconda.spawnedAt + 200, to: last.end - appconda.spawnedAt - 200 };
      results.profile = { ...summariseProfile(profile, window), window, file: path.join(files.profileDir, file) };
    }
  } catch (error) {
    if (existsSync(files.appcondaLog)) log(`last lines of the appconda log:\n${readFileSync(files.appcondaLog, 'utf8').split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    clearTimeout(limit);
    await cleanup();
  }
  results.summary = summarise(results.rounds, args);
  process.stdout.write(`\n${table(results.summary)}\n`);
  const failed = results.rounds.flatMap((r) => Object.values(r).flatMap((t) => Object.values(t))).filter((m) => m.errors + m.timeouts + m.non2xx > 0);
  for (const m of failed)
    process.stdout.write(
      `WARNING: ${m.target} ${m.workload} had ${m.errors} errors, ${m.timeouts} timeouts, ${m.non2xx} non-2xx answers (${JSON.stringify(m.statusCodes)})\n`,
    );
  if (results.profile) printProfile(results.profile, args.profile);
  const stamp = results.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const out = path.join(resultsDir, `${stamp}${args.profile ? `-profile-${args.profile}` : ''}.json`);
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nraw results: ${path.relative(root, out)}\n`);
}

main().catch(async (error) => {
  log(`failed: ${error.stack ?? error.message}`);
  await cleanup();
  process.exit(1);
});
