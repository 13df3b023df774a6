// What the GraphQL layer costs per field: the same route through REST and through /v1/graphql, on
// `appconda all` as `npm start` runs it (abuse, audits, usage, events on; an API key, as a server SDK).
// Per workload: req/s, p50/p99 latency and server CPU per request (all threads of the process).
//
//   node tools/build.mjs --all && node bench/graphql/run.mjs [--duration=8] [--connections=10] [--rounds=3]
//
// Each round measures every workload once, in turn, so REST and GraphQL see the same background load;
// the table shows, per workload, the round with the median server CPU per request.
//
// It starts its own appconda on free ports with its own schema, Redis prefix and storage directory,
// and removes all three when it ends (also on failure or Ctrl-C).
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const option = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const duration = option('duration', 8);
const connections = option('connections', 10);
const rounds = option('rounds', 3);
const run = `gql${Date.now().toString(36)}`;
const cleanups = [];

const port = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });

/** CPU seconds of every thread of `pid` (schedstat), or NaN when the process is gone. */
function cpu(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((sum, task) => sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e9, 0);
  } catch {
    return NaN;
  }
}

async function startAppconda() {
  const api = await port();
  const storage = path.join(tmpdir(), `appconda-bench-${run}`);
  const env = { ...process.env, _APP_PORT: String(api), _APP_REALTIME_PORT: String(await port()), _APP_DB_SCHEMA: `appconda_bench_${run}`, _APP_REDIS_PREFIX: `appconda_bench_${run}`, _APP_STORAGE_ROOT: storage, _APP_LOG_LEVEL: 'error', APPCONDA_ENV_FILE: '/nonexistent' };
  const child = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), 'all'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
    rmSync(storage, { recursive: true, force: true });
    const mariadb = require('mariadb');
    const conn = await mariadb.createConnection({ host: '127.0.0.1', user: process.env._APP_DB_USER ?? 'root', password: process.env._APP_DB_PASS ?? '' });
    await conn.query(`DROP DATABASE IF EXISTS \`${env._APP_DB_SCHEMA}\``).finally(() => conn.end());
    const Redis = require('ioredis');
    const redis = new Redis({ host: '127.0.0.1' });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env._APP_REDIS_PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  });
  const origin = `http://127.0.0.1:${api}`;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
    if ((await fetch(`${origin}/v1/health/version`).catch(() => null))?.ok) return { origin, pid: child.pid };
  }
  throw new Error('appconda did not start');
}

/** Console sign-up, project, key with every scope, a database with one document: what the workloads read. */
async function setUp(origin) {
  let cookie = '';
  const call = async (method, url, body, headers = { 'x-appwrite-project': 'console', cookie }) => {
    const res = await fetch(`${origin}/v1${url}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
    const json = await res.json().catch(() => ({}));
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    cookie ||= (res.headers.getSetCookie().find((c) => c.startsWith('a_session_console=')) ?? '').split(';')[0];
    return json;
  };
  const email = `bench-${run}@example.test`;
  await call('POST', '/account', { userId: 'unique()', email, password: 'bench-password-1', name: 'bench' });
  await call('POST', '/account/sessions/email', { email, password: 'bench-password-1' });
  const team = await call('POST', '/teams', { teamId: 'unique()', name: 'bench' });
  const project = await call('POST', '/projects', { projectId: 'unique()', name: 'bench', teamId: team.$id });
  const scopes = ['databases.read', 'databases.write', 'collections.read', 'collections.write', 'attributes.read', 'attributes.write', 'documents.read', 'documents.write', 'locale.read'];
  const { secret } = await call('POST', `/projects/${project.$id}/keys`, { name: 'bench', scopes });
  const headers = { 'x-appwrite-project': project.$id, 'x-appwrite-key': secret };
  const keyCall = (method, url, body) => call(method, url, body, headers);
  await keyCall('POST', '/databases', { databaseId: 'bench', name: 'bench' });
  await keyCall('POST', '/databases/bench/collections', { collectionId: 'items', name: 'items', permissions: ['read("any")'] });
  await keyCall('POST', '/databases/bench/collections/items/attributes/string', { key: 'title', size: 64, required: true });
  while ((await keyCall('GET', '/databases/bench/collections/items/attributes/title')).status !== 'available') await new Promise((r) => setTimeout(r, 200));
  await keyCall('POST', '/databases/bench/collections/items/documents', { documentId: 'doc1', data: { title: 'a document to read' } });
  return headers;
}

const document = (alias) => `${alias}: databasesGetDocument(databaseId: "bench", collectionId: "items", documentId: "doc1") { _id data }`;
const graphql = (query) => ({ method: 'POST', path: '/v1/graphql', body: JSON.stringify({ query }), fields: (query.match(/: databasesGetDocument|localeList/g) ?? []).length });
const WORKLOADS = [
  ['locale continents, REST', { method: 'GET', path: '/v1/locale/continents', fields: 1 }],
  ['locale continents, GraphQL 1 field', graphql('{ localeListContinents { total continents { code name } } }')],
  ['locale continents, GraphQL 1 field over GET', { method: 'GET', path: `/v1/graphql?query=${encodeURIComponent('{ localeListContinents { total continents { code name } } }')}`, fields: 1 }],
  ['243 phone codes, REST', { method: 'GET', path: '/v1/locale/countries/phones', fields: 1 }],
  ['243 phone codes, GraphQL 1 field (total only)', graphql('{ localeListCountriesPhones { total } }')],
  ['get document, REST', { method: 'GET', path: '/v1/databases/bench/collections/items/documents/doc1', fields: 1 }],
  ['get document, GraphQL 1 field', graphql(`{ ${document('d')} }`)],
  ['get document, GraphQL 5 fields', graphql(`{ ${['a', 'b', 'c', 'd', 'e'].map(document).join(' ')} }`)],
];

async function measure(origin, pid, headers, workload) {
  const options = { url: `${origin}${workload.path}`, connections, method: workload.method, body: workload.body, headers: { ...headers, 'content-type': 'application/json' } };
  await autocannon({ ...options, duration: 2 });
  const before = cpu(pid);
  const result = await autocannon({ ...options, duration });
  const requests = result.requests.total;
  if (result.non2xx || result.errors) throw new Error(`${workload.path}: ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodeStats)}), ${result.errors} errors`);
  const cpuUs = ((cpu(pid) - before) / requests) * 1e6;
  return { reqPerSec: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, cpuUsPerRequest: Math.round(cpuUs), cpuUsPerField: Math.round(cpuUs / workload.fields) };
}

async function main() {
  const { origin, pid } = await startAppconda();
  const headers = await setUp(origin);
  const check = await (await fetch(`${origin}/v1/graphql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: WORKLOADS.at(-1)[1].body })).json();
  if (check.errors || check.data.e._id !== 'doc1') throw new Error(`GraphQL answered ${JSON.stringify(check)}`);
  const samples = WORKLOADS.map(() => []);
  for (let round = 1; round <= rounds; round++) {
    for (const [index, [name, workload]] of WORKLOADS.entries()) {
      samples[index].push(await measure(origin, pid, headers, workload));
      console.error(`round ${round}: measured ${name}`);
    }
  }
  const rows = WORKLOADS.map(([name], index) => {
    const sorted = [...samples[index]].sort((a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest);
    return { name, ...sorted[Math.floor(sorted.length / 2)], cpuUsPerRequestRounds: samples[index].map((sample) => sample.cpuUsPerRequest) };
  });
  console.log('| workload | req/s | p50 ms | p99 ms | server CPU µs/request | µs/field | CPU µs/request per round |\n|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.cpuUsPerRequest} | ${r.cpuUsPerField} | ${r.cpuUsPerRequestRounds.join(', ')} |`);
  mkdirSync(path.join(root, 'bench/graphql/results'), { recursive: true });
  writeFileSync(path.join(root, `bench/graphql/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ duration, connections, rounds, rows }, null, 2));
}

const finish = async (code) => {
  for (const step of cleanups.reverse()) await step().catch((error) => console.error(`cleanup: ${error.message}`));
  process.exit(code);
};
process.on('SIGINT', () => finish(130));
main().then(
  () => finish(0),
  (error) => {
    console.error(error);
    return finish(1);
  },
);
