#!/usr/bin/env node
// appconda <service> | appconda all | appconda build
// Starts one service, or every service in this one Node process (each wired exactly as when it runs
// alone, talking through the same Redis transport and queues). Compiles the sources first when the
// compiled tree is missing or older than them.
//
// In `all`, the API runs on the main thread and the other services on one worker thread: still one
// process, but queue work (audits, usage, deletes…) never takes event-loop time from requests.
// Realtime stays on the main thread too: it answers `/v1/realtime` on the API's HTTP server (the web
// SDK derives the WebSocket URL from the REST endpoint), and sockets cannot cross threads.
// APPCONDA_THREADS=1 keeps everything on the main thread.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');
const { Worker, isMainThread, parentPort, workerData, SHARE_ENV } = require('node:worker_threads');

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const SERVICES = [
  'worker-audits', 'worker-webhooks', 'worker-deletes', 'worker-databases', 'worker-builds', 'worker-certificates',
  'worker-functions', 'worker-mails', 'worker-messaging', 'executor', 'maintenance', 'usage', 'schedule', 'realtime', 'api',
];

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Compiles the services when stale; `withConsole` (api, all, build) also the web console the api serves. */
function ensureBuilt(force, withConsole) {
  const hasSources = existsSync(path.join(root, 'apps'));
  if (!hasSources) return; // an image ships dist/ only
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (force || built < Math.max(newestSource(path.join(root, 'apps')), newestSource(path.join(root, 'libs')))) {
    // --all also builds the web console when it is missing or stale (unless this service does not serve it).
    execFileSync(process.execPath, [path.join(root, 'tools', 'build.mjs'), '--all', ...(withConsole ? [] : ['--no-console'])], { stdio: 'inherit', cwd: root });
    return;
  }
  if (!withConsole) return;
  const { consoleStale } = require(path.join(root, 'tools', 'console-build.cjs'));
  if (consoleStale()) execFileSync(process.execPath, [path.join(root, 'tools', 'build.mjs'), 'apps/console'], { stdio: 'inherit', cwd: root });
}

function loadEnv() {
  const file = process.env.APPCONDA_ENV_FILE ?? path.join(process.cwd(), '.env');
  if (existsSync(file)) require('dotenv').config({ path: file, quiet: true }); // variables already set win
}

async function start(service) {
  const main = path.join(dist, 'apps', service, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`no compiled app for "${service}" (${main})`);
  return require(main).ready;
}

function transportLib() {
  return require(path.join(dist, 'libs', 'transport', 'src', 'index.js'));
}

/**
 * Gives a thread's memory back when it is idle. Starting the services (module compilation, Nest's
 * scanning, TypeORM's metadata) leaves ~25 MB of garbage per thread and a young generation grown to
 * its maximum; a burst of requests or jobs leaves more. V8 keeps all of it until the old generation
 * next fills, which at idle is never, and shrinks the young generation only in a collection that sees
 * a low allocation rate. So: one full collection at ready, then every `IDLE_CHECK_MS` a check that
 * costs nothing when busy: if the thread was near idle (event-loop utilisation under 10%) and its
 * heap holds `IDLE_SLACK_BYTES` more than it kept alive at the last collection, one full collection.
 * Under load it never runs, so no request waits for it. `gc` comes from a fresh context while
 * --expose-gc is on for that one call; the flag is turned off again at once so no later context (user
 * functions' sandboxes included) gets it.
 */
const IDLE_CHECK_MS = 10_000;
const IDLE_SLACK_BYTES = 16 * 1024 * 1024;
function releaseMemoryWhenIdle() {
  const v8 = require('node:v8');
  const { eventLoopUtilization } = require('node:perf_hooks').performance;
  let gc = typeof global.gc === 'function' ? global.gc : null;
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    try {
      gc = require('node:vm').runInNewContext('gc');
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  gc();
  let threshold = v8.getHeapStatistics().used_heap_size + IDLE_SLACK_BYTES;
  let window = eventLoopUtilization();
  setInterval(() => {
    const idle = eventLoopUtilization(window).utilization < 0.1;
    window = eventLoopUtilization();
    if (!idle || v8.getHeapStatistics().total_heap_size <= threshold) return;
    gc();
    const after = v8.getHeapStatistics();
    // When V8 kept the space anyway (it judged the allocation rate high), wait for new growth before trying again.
    threshold = Math.max(after.used_heap_size, after.total_heap_size - IDLE_SLACK_BYTES) + IDLE_SLACK_BYTES;
  }, IDLE_CHECK_MS).unref();
}

function coreLib() {
  return require(path.join(dist, 'libs', 'core', 'src', 'index.js'));
}

/** Worker-thread side of `all`: starts its services, reports ready, closes them all when told to. */
async function runThread(services) {
  const { shutdownAll, serviceLogger } = coreLib();
  const logger = serviceLogger('appconda');
  parentPort.on('message', (message) => {
    if (message !== 'shutdown') return;
    // The thread's services are independent of each other: close them all at once.
    void shutdownAll(logger, { parallel: true }).then(() => process.exit(0), () => process.exit(1));
  });
  require('reflect-metadata');
  for (const service of services) await start(service);
  releaseMemoryWhenIdle();
  parentPort.postMessage({ ready: true });
}

/**
 * Young-generation cap of the services thread (V8's default lets it grow to ~48 MB, and startup alone
 * grows it to 32 MB). Its queue work keeps few objects alive across a scavenge, so a small young
 * generation costs it little, and that thread never answers a request.
 */
const SERVICES_YOUNG_GENERATION_MB = 12;

/** Starts `services` on a worker thread; resolves once they are ready, and registers their shutdown. */
function startThread(services) {
  const { registerForShutdown, serviceLogger } = coreLib();
  const logger = serviceLogger('appconda');
  const worker = new Worker(__filename, { workerData: { services }, env: SHARE_ENV, resourceLimits: { maxYoungGenerationSizeMb: SERVICES_YOUNG_GENERATION_MB } });
  let exited = false;
  const exit = new Promise((resolve) => worker.once('exit', (code) => { exited = true; resolve(code); }));
  // Closed after the API (registered later, closed first): the API's last audit and usage batches are queued by then.
  registerForShutdown('workers-thread', { close: async () => { if (!exited) { worker.postMessage('shutdown'); await exit; } } }, logger);
  return new Promise((resolve, reject) => {
    worker.on('message', (message) => message && message.ready && resolve(worker));
    worker.once('error', reject);
    void exit.then((code) => {
      if (code !== 0) {
        logger.fatal({ event: 'workers_thread_exited', code }, `the services thread exited with code ${code}`);
        process.exit(code || 1);
      }
    });
  });
}

async function main() {
  if (!isMainThread) return runThread(workerData.services);
  const [command = 'all'] = process.argv.slice(2);
  if (command === 'build') return ensureBuilt(true, true);
  const services = command === 'all' ? SERVICES : [command];
  const unknown = services.filter((s) => !SERVICES.includes(s));
  if (unknown.length) {
    console.error(`appconda: unknown service "${unknown.join(', ')}". One of: all, build, ${SERVICES.join(', ')}`);
    process.exit(2);
  }
  loadEnv();
  ensureBuilt(false, services.includes('api'));
  require('reflect-metadata');
  const threaded = command === 'all' && process.env.APPCONDA_THREADS !== '1';
  // Realtime starts before the API and attaches to its server as soon as it exists, before it listens.
  if (command === 'all') transportLib().serveOnHttpServerOf('realtime', 'api');
  if (threaded) {
    const mainThread = ['realtime', 'api'];
    const background = services.filter((service) => !mainThread.includes(service));
    // Workers first: when the API answers, every queue has its consumer (the e2e suite starts on the first answer).
    await startThread(background);
    for (const service of mainThread) await start(service);
  } else {
    for (const service of services) await start(service);
  }
  if (command === 'all') {
    releaseMemoryWhenIdle();
    const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    const where = threaded ? 'one process, api on the main thread' : 'one process';
    coreLib().serviceLogger('appconda').info({ event: 'all_ready', services: services.length, threads: threaded ? 2 : 1, rssMb }, `all ${services.length} services ready in ${where} (rss ${rssMb} MB)`);
  }
}

main().catch((error) => {
  // bootstrapService already logged a structured line naming the service.
  if (!process.exitCode) console.error(error);
  process.exit(process.exitCode || 1);
});
