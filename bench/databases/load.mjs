// The load generator, run by run.mjs as its own Node process so it never shares an event loop with
// any server: one autocannon run (warm-up, then the measured run) for one workload against one
// target. Input: one JSON argument; output: one JSON line on stdout.
//
//   { target: 'appconda' | 'floor' | 'parse', url, workload (workloads.mjs), duration, warmup,
//     connections, context: { count, headers, baseHeaders (without credentials), ...the target's ids } }
import autocannon from 'autocannon';

import { WORKLOADS } from './workloads.mjs';

const config = JSON.parse(process.argv[2]);
const { target, workload, context } = config;
const random = (n) => Math.floor(Math.random() * n);
let counter = 0;
const next = () => counter++;
const build = WORKLOADS[workload]?.[target];
if (!build) throw new Error(`no ${workload} workload for ${target}`);

function request() {
  return {
    setupRequest: (req) => {
      const r = build(context, random, next);
      return {
        ...req,
        method: r.method ?? 'GET',
        path: r.path,
        // A workload that names its own credentials (a session) gets them instead of the target's key.
        headers: r.headers ? { ...context.baseHeaders, ...r.headers } : context.headers,
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
      };
    },
  };
}

async function run(duration) {
  return autocannon({ url: config.url, connections: config.connections, duration, requests: [request()], timeout: 10 });
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
