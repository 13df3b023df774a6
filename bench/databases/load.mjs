// The load generator, run by run.mjs as its own Node process so it never shares an event loop with
// either server: one autocannon run (warm-up, then the measured run) for one workload against one
// target. Input: one JSON argument; output: one JSON line on stdout.
//
//   { target: 'appconda' | 'floor', url, workload: 'get' | 'list' | 'listTotal' | 'create' | 'update',
//     duration, warmup, connections, count, project?, key?, databaseId?, collectionId? }
import autocannon from 'autocannon';

import { idOf, LIST_LIMIT } from './data.mjs';

const config = JSON.parse(process.argv[2]);
const { target, workload, count } = config;
const random = (n) => Math.floor(Math.random() * n);
const q = (s) => encodeURIComponent(s);

function routes() {
  if (target === 'floor') {
    return {
      headers: { 'content-type': 'application/json' },
      one: (id) => `/documents/${id}`,
      collection: '/documents',
      list: (gt, total) => `/documents?gt=${gt}${total ? '&total=1' : ''}`,
    };
  }
  const base = `/v1/databases/${config.databaseId}/collections/${config.collectionId}/documents`;
  return {
    headers: { 'content-type': 'application/json', 'x-appwrite-project': config.project, 'x-appwrite-key': config.key },
    one: (id) => `${base}/${id}`,
    collection: base,
    // 1.3 always answers `total`, so `list` and `listTotal` are the same request for Appconda.
    list: (gt) => `${base}?queries[]=${q(`greaterThan("rank", [${gt}])`)}&queries[]=${q('orderAsc("rank")')}&queries[]=${q(`limit(${LIST_LIMIT})`)}`,
  };
}

function request() {
  const r = routes();
  switch (workload) {
    case 'get':
      return { method: 'GET', setupRequest: (req) => ({ ...req, path: r.one(idOf(random(count))) }) };
    case 'list':
    case 'listTotal':
      return { method: 'GET', setupRequest: (req) => ({ ...req, path: r.list(random(count), workload === 'listTotal') }) };
    case 'create': {
      let n = 0;
      return {
        method: 'POST',
        path: r.collection,
        setupRequest: (req) => {
          n += 1;
          return { ...req, body: JSON.stringify({ documentId: 'unique()', data: { title: `Created ${n}`, rank: random(count), tag: `tag${n % 50}` } }) };
        },
      };
    }
    case 'update':
      return {
        method: 'PATCH',
        setupRequest: (req) => ({ ...req, path: r.one(idOf(random(count))), body: JSON.stringify({ data: { title: `Updated ${random(1e9)}` } }) }),
      };
    default:
      throw new Error(`unknown workload ${workload}`);
  }
}

async function run(duration) {
  const { headers } = routes();
  return autocannon({ url: config.url, connections: config.connections, duration, headers, requests: [request()], timeout: 10 });
}

async function main() {
  if (config.warmup > 0) await run(config.warmup);
  // Tells the runner the measured run starts now (it samples the servers' CPU times at this line).
  process.stdout.write(`${JSON.stringify({ phase: 'measuring' })}\n`);
  const cpuBefore = process.cpuUsage();
  const result = await run(config.duration);
  const cpu = process.cpuUsage(cpuBefore);
  const summary = {
    target,
    workload,
    connections: config.connections,
    duration: result.duration,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    latencyAvg: result.latency.average,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    // The load generator's own CPU over the measured run (% of one core): near 100 means the client, not the server, set the pace.
    loaderCpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / result.duration) * 100),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
