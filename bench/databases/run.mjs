#!/usr/bin/env node
// Databases benchmark: Appconda's documents endpoints (default configuration) side by side with a
// peer, Parse Server on PostgreSQL, and a floor server asking the same questions straight on the
// `mariadb` driver, in one invocation. Workloads: bench/databases/workloads.mjs. See bench/README.md.
//
//   node bench/databases/run.mjs [--duration=10] [--warmup=3] [--connections=32] [--count=10000]
//                                [--rounds=3] [--targets=floor,appconda,parse] [--deletes=15000]
//                                [--workloads=get,listAsc,…] [--profile=<workload>]
//                                [--entry=tools/cli/appconda.js]   (the launcher started as `<entry> all`)
//   node bench/databases/run.mjs --report=bench/databases/results/<file>.json   (table of a saved run)
//
// Every server is started and seeded first; then, per round and per workload, the targets are
// loaded one after the other (never two at once). Every load run is a separate Node
// process (load.mjs). Schemas, Redis keys and temp dirs of the run are removed at the
// end, also on failure or Ctrl-C.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  AUTHOR_COUNT,
  authorOf,
  BOOK_COUNT,
  bookData,
  bookIdOf,
  DOCUMENT_COUNT,
  documentData,
  idOf,
  LIST_LIMIT,
  PRIVATE_COUNT,
  privateData,
  privateIdOf,
  runId,
  trashIdOf,
} from './data.mjs';
import { summariseProfile } from './profile.mjs';
import { CONSUMING, WORKLOAD_NAMES, WORKLOADS } from './workloads.mjs';
import { freePort, stopProcess as stopChild, waitForHealth } from '../support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);

/** Goals (issue #14): Appconda's req/s over the floor's (lists: the floor's list + count), and over Parse Server's. */
const GOALS = { floor: 0.5, parse: 1.5 };
const PARSE_GOALS = { get: 2 };
const goalOverParse = (workload) => PARSE_GOALS[workload] ?? GOALS.parse;
const TARGET_NAMES = ['floor', 'appconda', 'parse'];
/** The whole run is aborted (and cleaned up) after this long. */
const RUN_LIMIT_MS = 40 * 60_000;

function parseArgs(argv) {
  const args = {
    duration: 10,
    warmup: 3,
    connections: 32,
    count: DOCUMENT_COUNT,
    deletes: 15_000,
    rounds: 3,
    targets: TARGET_NAMES,
    workloads: WORKLOAD_NAMES,
    profile: null,
    entry: 'tools/cli/appconda.js',
  };
  for (const arg of argv) {
    const [, name, value] = /^--([a-z]+)(?:=(.*))?$/.exec(arg) ?? [];
    if (!name) throw new Error(`unknown argument ${arg}`);
    if (['duration', 'warmup', 'connections', 'count', 'rounds', 'deletes'].includes(name)) args[name] = Number(value);
    else if (name === 'targets' || name === 'workloads') args[name] = value.split(',').filter(Boolean);
    else if (name === 'profile') args.profile = value;
    else if (name === 'entry') args.entry = value;
    else if (name === 'report') args.report = value;
    else throw new Error(`unknown argument --${name}`);
  }
  for (const w of args.workloads) if (!WORKLOAD_NAMES.includes(w)) throw new Error(`unknown workload ${w}`);
  for (const t of args.targets) if (!TARGET_NAMES.includes(t)) throw new Error(`unknown target ${t}`);
  if (args.profile) {
    if (!WORKLOAD_NAMES.includes(args.profile)) throw new Error(`unknown workload ${args.profile}`);
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

/** CPU seconds of every process named `command` (mariadbd is one process, PostgreSQL one per connection), or null if none runs. */
function commandCpuSeconds(command) {
  let total = null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) total = (total ?? 0) + (cpuSeconds(Number(entry)) ?? 0);
    } catch {
      // gone
    }
  }
  return total;
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

/** Resident memory of a process in MB (VmRSS), or null once it is gone. */
function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return null;
  }
}

/**
 * One measured load run of one workload against one target, with the CPU the server and its database
 * used meanwhile and the server's peak RSS. Consuming workloads (delete) start at the round's own ids.
 */
async function measureOnce(target, workload, args, queues, round) {
  const drainedMs = queues ? await drainQueues(queues.redis, queues.prefix) : null;
  const dbCommand = target.dbCommand ?? 'mariadbd';
  const snapshot = () => ({ server: cpuSeconds(target.pid), mariadb: commandCpuSeconds(dbCommand), at: Date.now() });
  let before = null;
  let peakRss = rssMb(target.pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss ?? 0, rssMb(target.pid) ?? 0)), 500);
  const deleteFrom = CONSUMING.has(workload) ? round * target.deletesPerRound : 0;
  const result = await runLoad(
    {
      target: target.name,
      url: target.url,
      workload,
      duration: args.duration,
      warmup: args.warmup,
      connections: args.connections,
      context: { ...target.context, count: args.count, deleteFrom },
    },
    () => (before = snapshot()),
  ).finally(() => clearInterval(sampler));
  result.peakRssMb = peakRss;
  const after = snapshot();
  const seconds = (after.at - before.at) / 1000;
  const used = (key) => (after[key] === null || before[key] === null ? null : after[key] - before[key]);
  // CPU over the measured run only: % of one core, and CPU milliseconds per answered request.
  // `mariadb` is the target's database server: mariadbd for Appconda and the floor, PostgreSQL's backends for Parse.
  const db = used('mariadb');
  result.cpuPercent = { server: Math.round((used('server') / seconds) * 100), mariadb: db === null ? null : Math.round((db / seconds) * 100) };
  result.cpuMsPerRequest = {
    server: Math.round((used('server') / Math.max(1, result.requests)) * 1e6) / 1000,
    mariadb: db === null ? null : Math.round((db / Math.max(1, result.requests)) * 1e6) / 1000,
  };
  result.loadAverage = loadavg()[0];
  result.window = { start: before.at, end: after.at };
  if (queues)
    result.queues = { drainedBeforeMs: drainedMs, ...(target.name === 'appconda' ? { backlogAfter: await queueDepth(queues.redis, queues.prefix) } : {}) };
  const bad = result.errors + result.timeouts + result.non2xx;
  const backlog = result.queues?.backlogAfter ? Object.values(result.queues.backlogAfter).reduce((a, b) => a + b, 0) : 0;
  log(
    `${target.name} ${workload}: ${Math.round(result.rps)} req/s p50 ${result.p50} ms p99 ${result.p99} ms; CPU server ${result.cpuPercent.server}% ` +
      `(${result.cpuMsPerRequest.server} ms/req), db ${result.cpuPercent.mariadb}% (${result.cpuMsPerRequest.mariadb} ms/req), rss ${peakRss} MB, loader ${result.loaderCpuPercent}%, ` +
      `load avg ${result.loadAverage.toFixed(1)}${backlog ? `, queue backlog ${backlog}` : ''}${bad ? ` (${bad} FAILED)` : ''}`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Floor and peer: child processes that seed themselves and print one `{"ready":true,…}` line.
function startChild(script, env, name, timeoutMs, cwd = root) {
  const child = spawn(process.execPath, [path.join(here, script)], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  undo.push(() => stopProcess(child, name));
  const ready = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{') && l.includes('"ready"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { child, ready };
}

async function startFloor(args, run) {
  const schema = `appconda_bench_floor_${run}`;
  undo.push(() => dropSchema(schema));
  // SQL inserts are cheap: the floor gets four times the delete ids, so its faster deletes never run out.
  const deletesPerRound = args.deletes * 4;
  const env = { FLOOR_SCHEMA: schema, FLOOR_COUNT: String(args.count), FLOOR_DELETES: String(deletesPerRound * args.rounds) };
  const { child, ready } = startChild('floor.mjs', env, 'floor', 300_000);
  const { port, readerId } = await ready;
  const target = { name: 'floor', pid: child.pid, url: `http://127.0.0.1:${port}`, context: { headers: { 'content-type': 'application/json' }, baseHeaders: { 'content-type': 'application/json' }, readerId }, deletesPerRound };
  log(`floor ready on ${target.url} with ${args.count} rows`);
  return { ...target, stop: () => stopProcess(child, 'floor') };
}

async function startParse(args, run) {
  const { APP_ID, ensureParseInstalled, MASTER_KEY, PARSE_VERSION } = await import('./parse.mjs');
  ensureParseInstalled(log);
  const database = `appconda_bench_parse_${run}`.toLowerCase();
  undo.push(() => dropPostgresDatabase(database));
  const env = { PARSE_DATABASE: database, PARSE_COUNT: String(args.count), PARSE_DELETES: String(args.deletes * args.rounds), PARSE_PRIVATE: String(PRIVATE_COUNT) };
  const started = Date.now();
  // In the temp folder: Parse Server's default logger writes ./logs wherever it starts.
  const { child, ready } = startChild('parse.mjs', env, 'parse', 1_200_000, tmpdir());
  const { port, sessionToken } = await ready;
  const headers = { 'content-type': 'application/json', 'x-parse-application-id': APP_ID };
  const target = {
    name: 'parse',
    pid: child.pid,
    dbCommand: 'postgres',
    url: `http://127.0.0.1:${port}`,
    // The master key is Parse's equivalent of an API key with every scope (it bypasses ACLs and CLPs too).
    context: { baseHeaders: headers, headers: { ...headers, 'x-parse-master-key': MASTER_KEY }, sessionHeaders: { 'x-parse-session-token': sessionToken } },
    deletesPerRound: args.deletes,
  };
  log(`parse-server ${PARSE_VERSION} ready on ${target.url} (PostgreSQL database ${database}), seeded in ${Math.round((Date.now() - started) / 1000)} s`);
  return { ...target, stop: () => stopProcess(child, 'parse') };
}

async function dropPostgresDatabase(database) {
  const { parseHome } = await import('./parse.mjs');
  const { Client } = createRequire(path.join(parseHome(), 'package.json'))('pg');
  const client = new Client({ connectionString: `${process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432'}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

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

/**
 * The collections of the data set (bench/databases/data.mjs), created through the REST API: the main
 * `documents` with the indexes the workloads use, `trash` for deletes, `private` with document
 * security, and `books` with a many-to-one relationship to `authors`.
 */
async function createCollections(endpoint, projectId, key) {
  const headers = { 'content-type': 'application/json', 'x-appwrite-project': projectId, 'x-appwrite-key': key };
  const call = (method, p, body, expected) => request(`${endpoint}${p}`, { method, headers, body: body && JSON.stringify(body) }, expected);
  const db = '/databases/bench';
  await call('POST', '/databases', { databaseId: 'bench', name: 'Bench' }, 201);
  const collection = async (collectionId, permissions, documentSecurity, attributes, indexes) => {
    const col = `${db}/collections/${collectionId}`;
    await call('POST', `${db}/collections`, { collectionId, name: collectionId, permissions, documentSecurity }, 201);
    for (const [type, body] of attributes) await call('POST', `${col}/attributes/${type}`, { required: false, ...body }, 202);
    await waitAvailable(
      call,
      attributes.map(([, body]) => `${col}/attributes/${body.key}`),
    );
    for (const index of indexes) await call('POST', `${col}/indexes`, index, 202);
    await waitAvailable(
      call,
      indexes.map((index) => `${col}/indexes/${index.key}`),
    );
  };
  const open = ['read("any")', 'create("any")', 'update("any")', 'delete("any")'];
  const title = ['string', { key: 'title', size: 128 }];
  const rank = ['integer', { key: 'rank' }];
  const byRank = { key: 'rank_idx', type: 'key', attributes: ['rank'], orders: ['ASC'] };
  await collection('documents', open, false, [title, rank, ['string', { key: 'tag', size: 32 }]], [
    byRank,
    { key: 'tag_idx', type: 'key', attributes: ['tag'], orders: ['ASC'] },
    { key: 'tag_rank_idx', type: 'key', attributes: ['tag', 'rank'], orders: ['ASC', 'ASC'] },
    { key: 'title_ft', type: 'fulltext', attributes: ['title'] },
  ]);
  await collection('trash', open, false, [title, rank, ['string', { key: 'tag', size: 32 }]], []);
  // Document security only: nothing at the collection level, each document names its reader.
  await collection('private', [], true, [title, rank], [byRank]);
  await collection('authors', open, false, [['string', { key: 'name', size: 64 }]], []);
  await collection('books', open, false, [['string', { key: 'title', size: 64 }]], []);
  await call('POST', `${db}/collections/books/attributes/relationship`, { relatedCollectionId: 'authors', type: 'manyToOne', twoWay: false, key: 'author', onDelete: 'setNull' }, 202);
  await waitAvailable(call, [`${db}/collections/books/attributes/author`]);
  return call;
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

/** Creates through the API with bounded concurrency (the seeding is not measured). */
async function seed(call, collectionId, n, bodyOf) {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      await call('POST', `/databases/bench/collections/${collectionId}/documents`, bodyOf(next++), 201);
      if (Date.now() - started > 15 * 60_000) throw new Error('seeding took more than 15 minutes');
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  log(`seeded ${n} ${collectionId} documents through the API in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Every collection's documents, two users (the reader and another) and the reader's session cookie. */
async function seedAppconda(endpoint, call, projectId, args) {
  await seed(call, 'documents', args.count, (i) => ({ documentId: idOf(i), data: documentData(i, args.count) }));
  await seed(call, 'trash', args.deletes * args.rounds, (i) => ({ documentId: trashIdOf(i), data: documentData(i, args.count) }));
  const password = 'reader-password-1';
  for (const userId of ['reader', 'other']) await call('POST', '/users', { userId, email: `${userId}@bench.test`, password, name: userId }, 201);
  await seed(call, 'private', PRIVATE_COUNT, (i) => ({
    documentId: privateIdOf(i),
    data: privateData(i),
    permissions: [`read("user:${i % 2 === 0 ? 'reader' : 'other'}")`],
  }));
  await seed(call, 'authors', AUTHOR_COUNT, (i) => ({ documentId: `author${i}`, data: { name: authorOf(i) } }));
  await seed(call, 'books', BOOK_COUNT, (i) => ({ documentId: bookIdOf(i), data: bookData(i) }));
  const json = { 'content-type': 'application/json', 'x-appwrite-project': projectId };
  const login = await request(`${endpoint}/account/sessions/email`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'reader@bench.test', password }) }, 201);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith(`a_session_${projectId}=`));
  if (!cookie) throw new Error('no session cookie for the reader');
  return { cookie: cookie.split(';')[0] };
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
  const call = await createCollections(endpoint, projectId, key);
  const { cookie } = await seedAppconda(endpoint, call, projectId, args);
  const Redis = require('ioredis');
  const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
  undo.push(() => redis.quit());
  log(`seeding left a queue backlog that took ${Math.round((await drainQueues(redis, prefix)) / 1000)} s to drain`);
  const base = '/v1/databases/bench/collections';
  const baseHeaders = { 'content-type': 'application/json', 'x-appwrite-project': projectId };
  return {
    name: 'appconda',
    queues: { redis, prefix },
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    context: {
      baseHeaders,
      headers: { ...baseHeaders, 'x-appwrite-key': key },
      sessionHeaders: { cookie },
      docs: `${base}/documents/documents`,
      trashDocs: `${base}/trash/documents`,
      privateDocs: `${base}/private/documents`,
      books: `${base}/books/documents`,
    },
    deletesPerRound: args.deletes,
    idleRssMb: rssMb(child.pid),
    spawnedAt,
    stop: () => stopProcess(child, 'appconda'),
  };
}

/**
 * One request of each workload per target before measuring, so a wrong answer is never timed: a 2xx,
 * the document asked for, lists that hold documents in the asked order (and `total` where the target
 * counts), the related author inlined.
 */
async function sanityCheck(target, args) {
  const fixed = (n) => Math.floor(n / 3);
  let counter = 0;
  for (const workload of args.workloads) {
    if (CONSUMING.has(workload) || workload === 'create') continue;
    const r = WORKLOADS[workload][target.name]({ ...target.context, count: args.count, deleteFrom: 0 }, fixed, () => counter++);
    const headers = r.headers ? { ...target.context.baseHeaders, ...r.headers } : target.context.headers;
    const res = await fetch(`${target.url}${r.path}`, { method: r.method ?? 'GET', headers, body: r.body && JSON.stringify(r.body) });
    const text = await res.text();
    const fail = (why) => {
      throw new Error(`${target.name} ${workload}: ${why}: ${res.status} ${text.slice(0, 300)}`);
    };
    if (!res.ok) fail('not a 2xx');
    const body = JSON.parse(text);
    const items = body.documents ?? body.results;
    if (workload === 'get' && (body.$id ?? body.objectId) !== idOf(fixed(args.count))) fail('another document');
    if (workload === 'relation' && !(body.author && (body.author.name ?? '').startsWith('Author'))) fail('no inlined author');
    if (['get', 'relation', 'update'].includes(workload)) continue;
    if (!Array.isArray(items) || items.length === 0) fail('an empty list');
    if (target.name !== 'parse' && typeof body.total !== 'number') fail('no total');
    const ranks = items.map((d) => d.rank);
    const ascending = ranks.every((x, k) => k === 0 || x >= ranks[k - 1]);
    const descending = ranks.every((x, k) => k === 0 || x <= ranks[k - 1]);
    if (['listAsc', 'select', 'offset', 'cursor', 'docsec'].includes(workload) && !ascending) fail('not ascending');
    if (['listDesc', 'listDescTotal', 'listEqual'].includes(workload) && !descending) fail('not descending');
  }
  log(`${target.name}: every workload answered as expected`);
}

// ---------------------------------------------------------------------------------------------------
// Report.
const median = (values) => {
  const v = [...values].sort((x, y) => x - y);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null;
};

/** Per workload: the round with the median req/s of each target, and the medians of the paired per-round ratios. */
function summarise(rounds, args) {
  const summary = {};
  for (const workload of args.workloads) {
    const runsOf = (target) => rounds.map((r) => r[target]?.[workload]).filter(Boolean);
    const pick = (target) => {
      const runs = runsOf(target);
      if (!runs.length) return null;
      const m = median(runs.map((r) => r.rps));
      const r = runs.reduce((best, x) => (Math.abs(x.rps - m) < Math.abs(best.rps - m) ? x : best));
      // CPU ms per request of the server process and of its database server, medians over the rounds.
      const cpuMs = median(runs.map((x) => x.cpuMsPerRequest?.server ?? 0));
      const dbMs = median(runs.map((x) => x.cpuMsPerRequest?.mariadb ?? 0));
      const rss = Math.max(...runs.map((x) => x.peakRssMb ?? 0));
      return { rps: Math.round(r.rps), p50: r.p50, p99: r.p99, cpuMs: Math.round(cpuMs * 1000) / 1000, dbMs: Math.round(dbMs * 1000) / 1000, rss };
    };
    const ratiosOver = (other) =>
      rounds.filter((r) => r.appconda?.[workload] && r[other]?.[workload]).map((r) => Math.round((r.appconda[workload].rps / r[other][workload].rps) * 1000) / 1000);
    const entry = { appconda: pick('appconda'), floor: pick('floor'), parse: pick('parse') };
    for (const [other, goal] of [
      ['floor', GOALS.floor],
      ['parse', goalOverParse(workload)],
    ]) {
      const ratios = ratiosOver(other);
      const ratio = ratios.length ? median(ratios) : null;
      entry[`over_${other}`] = { ratios, ratio, goal, met: ratio === null ? null : ratio >= goal };
    }
    // The issue's latency goal: Appconda's p99 no worse than Parse's.
    entry.p99VsParse = entry.appconda && entry.parse ? { appconda: entry.appconda.p99, parse: entry.parse.p99, met: entry.appconda.p99 <= entry.parse.p99 } : null;
    summary[workload] = entry;
  }
  return summary;
}

function table(summary) {
  const head = ['workload'];
  for (const t of TARGET_NAMES) head.push(`${t} req/s`, 'p50', 'p99', 'srv ms', 'db ms');
  head.push('÷ floor', 'goal', '÷ parse', 'goal', 'p99 ≤ parse');
  const rows = [head];
  const fmt = (r) => (r ? [r.rps, r.p50, r.p99, r.cpuMs, r.dbMs] : ['-', '-', '-', '-', '-']);
  const pct = (x) => `${Math.round(x * 100)}%`;
  const ratio = (o) => (o.ratio === null ? '-' : `${o.ratio.toFixed(2)}${o.met ? '' : ' MISSED'}`);
  for (const [workload, s] of Object.entries(summary)) {
    rows.push([
      WORKLOADS[workload]?.label ?? workload,
      ...TARGET_NAMES.flatMap((t) => fmt(s[t])),
      ratio(s.over_floor),
      pct(s.over_floor.goal),
      ratio(s.over_parse),
      `${s.over_parse.goal}×`,
      s.p99VsParse ? (s.p99VsParse.met ? 'yes' : 'NO') : '-',
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
    // Every server is up (and seeded) before any load; only one of them is ever under load.
    const targets = [];
    if (args.targets.includes('floor')) targets.push(await startFloor(args, run));
    if (args.targets.includes('parse')) targets.push(await startParse(args, run));
    if (args.targets.includes('appconda')) targets.push(await startAppconda(args, run, files));
    for (const target of targets) await sanityCheck(target, args);
    const appconda = targets.find((t) => t.name === 'appconda');
    results.memory = { appcondaIdleRssMb: appconda?.idleRssMb ?? null };
    // Rounds alternate the targets per workload, so all see the same background load of the machine.
    for (let round = 0; round < args.rounds; round++) {
      const entry = {};
      for (const workload of args.workloads) {
        for (const target of targets) {
          entry[target.name] ??= {};
          entry[target.name][workload] = await measureOnce(target, workload, args, appconda?.queues, round);
        }
      }
      results.rounds.push(entry);
    }
    if (appconda) {
      await drainQueues(appconda.queues.redis, appconda.queues.prefix);
      await sleep(5000);
      results.memory.appcondaRssAfterMb = rssMb(appconda.pid);
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
  if (results.memory) {
    const peak = Math.max(0, ...Object.values(results.summary).map((w) => w.appconda?.rss ?? 0));
    results.memory.appcondaPeakRssMb = peak;
    process.stdout.write(`\nappconda RSS: ${results.memory.appcondaIdleRssMb} MB idle after seeding, ${peak} MB peak under load, ${results.memory.appcondaRssAfterMb} MB after the run\n`);
  }
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
