#!/usr/bin/env node
// Realtime benchmark (not a test): N WebSockets of signed-in users with mixed permissions on one
// `appconda realtime` process, one document written through the API, and the delivery latency of
// every socket; RSS of the realtime process per 1 000 idle sockets; events per second it sustains.
//
//   bash bench/realtime/run.sh [--sizes=1000,10000] [--users=100]
//
// Starts `appconda all` (the API; its own realtime answers on its port) and a separate
// `appconda realtime` (the measured process, like a compose replica) on a fresh schema and Redis
// prefix; the sockets live in a third process (clients.mjs). Everything is removed at the end.
import { fork, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const sizes = (args.sizes ?? '1000,10000').split(',').map(Number);
const userCount = Number(args.users ?? 100);
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const schema = `appconda_rtbench_${run}`;
const prefix = `appconda_rtbench_${run}`;
const undo = [];
const log = (...parts) => console.log(`[realtime-bench] ${parts.join(' ')}`);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function request(url, init, expected) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (expected && res.status !== expected) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

function start(service, env, readyPattern) {
  const child = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), service], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  undo.push(() => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (readyPattern.test(out)) {
        out = '';
        resolve(child);
      }
      if (out.length > 1e6) out = out.slice(-1e5);
    });
    child.once('exit', (code) => reject(new Error(`${service} exited with ${code}`)));
  });
}

/** CPU seconds (user + system) a process has used: /proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms. */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function setup(endpoint) {
  const { API_KEY_SCOPES } = require(path.join(root, 'dist/libs/contracts/src/index.js'));
  const json = { 'content-type': 'application/json', 'x-appwrite-project': 'console' };
  const email = `rtbench-${run}@example.test`;
  const password = `pw-${run}-${run}`;
  await request(`${endpoint}/account`, { method: 'POST', headers: json, body: JSON.stringify({ userId: 'unique()', email, password, name: 'bench' }) }, 201);
  const login = await request(`${endpoint}/account/sessions/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) }, 201);
  const consoleHeaders = { ...json, cookie: login.headers.getSetCookie().find((c) => c.startsWith('a_session_console=')).split(';')[0] };
  const post = async (p, body) => (await request(`${endpoint}${p}`, { method: 'POST', headers: consoleHeaders, body: JSON.stringify(body) }, 201)).body;
  const team = await post('/teams', { teamId: 'unique()', name: 'bench organization' });
  const project = await post('/projects', { projectId: 'unique()', name: 'bench project', teamId: team.$id });
  const key = (await post(`/projects/${project.$id}/keys`, { name: 'bench', scopes: [...API_KEY_SCOPES] })).secret;
  await post(`/projects/${project.$id}/platforms`, { type: 'web', name: 'localhost', hostname: 'localhost' });
  const keyHeaders = { 'content-type': 'application/json', 'x-appwrite-project': project.$id, 'x-appwrite-key': key };
  const call = (method, p, body, expected) => request(`${endpoint}${p}`, { method, headers: keyHeaders, body: body && JSON.stringify(body) }, expected);
  await call('POST', '/databases', { databaseId: 'bench', name: 'Bench' }, 201);
  await call('POST', '/databases/bench/collections', { collectionId: 'items', name: 'Items', permissions: [], documentSecurity: true }, 201);
  await call('POST', '/databases/bench/collections/items/attributes/string', { key: 'title', size: 64, required: false }, 202);
  for (let i = 0; i < 100; i++) {
    const attr = await call('GET', '/databases/bench/collections/items/attributes/title');
    if (attr.body.status === 'available') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const benchTeam = (await call('POST', '/teams', { teamId: 'unique()', name: 'half' }, 201)).body;
  // Signed-in users; every other one is in the team (mixed permissions).
  const sessions = [];
  for (let i = 0; i < userCount; i++) {
    const userEmail = `u${i}-${run}@example.test`;
    const user = (await call('POST', '/users', { userId: 'unique()', email: userEmail, password }, 201)).body;
    if (i % 2 === 0) await call('POST', `/teams/${benchTeam.$id}/memberships`, { email: userEmail, roles: [], url: 'http://localhost/join' }, 201);
    const session = await request(`${endpoint}/account/sessions/email`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-appwrite-project': project.$id, 'x-forwarded-for': `10.200.${i >> 8}.${i & 255}` }, body: JSON.stringify({ email: userEmail, password }) }, 201);
    const cookie = session.headers.getSetCookie().find((c) => c.startsWith(`a_session_${project.$id}=`)).split(';')[0];
    sessions.push({ projectId: project.$id, userId: user.$id, cookie });
  }
  return { projectId: project.$id, key, teamId: benchTeam.$id, sessions };
}

function ask(child, message, answer) {
  return new Promise((resolve, reject) => {
    const on = (reply) => {
      if (reply.type === 'error') reject(new Error(reply.message));
      else if (reply.type === answer) {
        child.off('message', on);
        resolve(reply);
      }
    };
    child.on('message', on);
    child.send(message);
  });
}

async function main() {
  const apiPort = await freePort();
  const rtPort = await freePort();
  const storage = path.join(tmpdir(), `appconda-rtbench-${run}`);
  const env = { ...process.env, _APP_PORT: String(apiPort), _APP_REALTIME_PORT: String(rtPort), _APP_DB_SCHEMA: schema, _APP_REDIS_PREFIX: prefix, _APP_STORAGE_ROOT: storage, APPCONDA_ENV_FILE: '/nonexistent', _APP_LOG_LEVEL: 'warn' };
  undo.push(() => rmSync(storage, { recursive: true, force: true }));
  undo.push(async () => {
    const mariadb = require('mariadb');
    const conn = await mariadb.createConnection({ host: '127.0.0.1', user: 'root' });
    await conn.query(`DROP DATABASE IF EXISTS \`${schema}\``);
    await conn.end();
    const Redis = require('ioredis');
    const redis = new Redis();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  });
  log('starting appconda all (the API) …');
  start('all', env, /all_ready/).catch((error) => log(error.message));
  for (let i = 0; i < 400; i++) {
    if ((await fetch(`http://127.0.0.1:${apiPort}/v1/health/version`).catch(() => null))?.ok) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const endpoint = `http://127.0.0.1:${apiPort}/v1`;
  log('starting the measured appconda realtime …');
  const realtime = await start('realtime', { ...env, _APP_LOG_LEVEL: 'info' }, /"event":"ready"/);
  log(`setting up a project, ${userCount} signed-in users (half in a team) …`);
  const data = await setup(endpoint);
  const clients = fork(path.join(here, 'clients.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  undo.push(() => clients.kill());
  const channelsMix = [['documents'], ['databases.bench.collections.items.documents'], ['documents', 'files'], ['account', 'databases.bench.collections.items.documents']];
  const results = [];
  let connectedSoFar = 0;
  await new Promise((r) => setTimeout(r, 2000));
  const baseRss = rssMb(realtime.pid);
  for (const size of sizes) {
    const add = size - connectedSoFar;
    const t0 = Date.now();
    const opened = await ask(clients, { type: 'connect', url: `ws://127.0.0.1:${rtPort}/v1/realtime`, sessions: data.sessions, n: add, channelsMix }, 'connected');
    connectedSoFar += opened.connected;
    const connectS = (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    global.gc?.();
    const rss = rssMb(realtime.pid);
    // A warm-up write (first write of a size pays for cold paths), then the measured ones.
    await ask(clients, { type: 'write', endpoint, projectId: data.projectId, key: data.key, expected: connectedSoFar, permissions: ['read("users")'], marker: `warm-${size}` }, 'written');
    const cpuBefore = cpuSeconds(realtime.pid);
    const everyone = await ask(clients, { type: 'write', endpoint, projectId: data.projectId, key: data.key, expected: connectedSoFar, permissions: ['read("users")'], marker: `all-${size}` }, 'written');
    // The measured process's own CPU for that one fan-out (it also answers its 5 s stats tick meanwhile).
    everyone.realtimeCpuMs = Math.round((cpuSeconds(realtime.pid) - cpuBefore) * 1000);
    const half = await ask(clients, { type: 'write', endpoint, projectId: data.projectId, key: data.key, expected: Math.ceil(connectedSoFar / 2), permissions: [`read("team:${data.teamId}")`], marker: `team-${size}` }, 'written');
    const row = { sockets: connectedSoFar, failed: opened.failed, connectS, rssMb: rss, baseRssMb: baseRss, kbPerSocket: ((rss - baseRss) * 1024) / connectedSoFar, everyone, half };
    results.push(row);
    log(JSON.stringify(row));
  }
  // Throughput: events published straight on the bus, each for one user's sockets.
  const Redis = require('ioredis');
  const redis = new Redis();
  const channel = `${prefix}.events`;
  const events = Number(args.events ?? 5000);
  const perUser = Math.floor(connectedSoFar / data.sessions.length);
  const armed = ask(clients, { type: 'count', expected: events * perUser }, 'armed');
  await armed;
  const counted = new Promise((resolve) => clients.once('message', (m) => m.type === 'counted' && resolve(m)));
  const t0 = Date.now();
  const cpuBefore = cpuSeconds(realtime.pid);
  const pipeline = redis.pipeline();
  for (let i = 0; i < events; i++) {
    const target = data.sessions[i % data.sessions.length];
    pipeline.publish(channel, JSON.stringify({ pattern: channel, data: { id: `b${i}`, projectId: data.projectId, events: [`databases.bench.collections.items.documents.x${i}.update`], payload: { $id: `x${i}`, $collectionId: 'items', $databaseId: 'bench', title: 'throughput' }, time: new Date().toISOString(), readRoles: [`user:${target.userId}`] } }));
  }
  await pipeline.exec();
  const throughput = await counted;
  const seconds = throughput.ms / 1000;
  const cpu = cpuSeconds(realtime.pid) - cpuBefore;
  const summary = { events, deliveriesExpected: events * perUser, deliveriesReceived: throughput.received, seconds, eventsPerSecond: Math.round(events / seconds), deliveriesPerSecond: Math.round(throughput.received / seconds), realtimeCpuSeconds: cpu, eventsPerCpuSecond: Math.round((throughput.received / perUser) / cpu), deliveriesPerCpuSecond: Math.round(throughput.received / cpu) };
  log(JSON.stringify(summary));
  redis.disconnect();
  await ask(clients, { type: 'close' }, 'closed');
  console.log(JSON.stringify({ results, throughput: summary }, null, 2));
}

const cleanup = async () => {
  for (const step of undo.reverse()) await Promise.resolve(step()).catch((e) => log('cleanup:', e.message));
};
main()
  .then(cleanup)
  .catch(async (error) => {
    console.error(error);
    await cleanup();
    process.exit(1);
  });
