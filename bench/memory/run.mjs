#!/usr/bin/env node
// Memory of `appconda all` at idle, per thread: starts it (fresh schema and Redis prefix, free ports,
// Appconda's defaults, as `npm start`) with bench/memory/probe.cjs preloaded in every thread and
// --expose-gc, waits for `all_ready` and `--settle` seconds, asks each thread for its report, prints
// RSS, each thread's V8 heap before/after a full GC and the packages each thread has loaded.
//   node bench/memory/run.mjs [--settle=20] [--top=25] [--json=<file>] [--entry=tools/cli/appconda.js]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..', '..');
const args = Object.fromEntries(process.argv.slice(2).map((a) => /^--([a-z]+)=(.*)$/.exec(a)?.slice(1) ?? [a, '']));
const settle = Number(args.settle ?? 20);
const top = Number(args.top ?? 25);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
/** RSS by mapping: anonymous memory (heaps, malloc) and each mapped file (native addons, libraries), in MB. */
function smapsOf(pid) {
  const byName = {};
  let current = '[anon]';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) { current = head[1] && head[1].startsWith('/') ? path.basename(head[1]) : '[anon]'; continue; }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) byName[current] = (byName[current] ?? 0) + Number(rss[1]) / 1024;
  }
  return Object.entries(byName).map(([n, v]) => [n, Math.round(v * 10) / 10]).sort((a, b) => b[1] - a[1]);
}
const rssOf = (pid) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const name = `appconda_mem_${run}`;
const probeDir = mkdtempSync(path.join(tmpdir(), 'appconda-mem-'));
const storage = path.join(tmpdir(), `appconda-mem-${run}`);
const env = {
  ...process.env,
  APPCONDA_PROBE_DIR: probeDir,
  APPCONDA_ENV_FILE: '/nonexistent',
  _APP_PORT: String(await freePort()),
  _APP_REALTIME_PORT: String(await freePort()),
  _APP_DB_SCHEMA: name,
  _APP_REDIS_PREFIX: name,
  _APP_STORAGE_ROOT: storage,
};
const child = spawn(process.execPath, ['--expose-gc', '--require', path.join(here, 'probe.cjs'), path.resolve(root, args.entry ?? 'tools/cli/appconda.js'), 'all'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
let ready = null;
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  const line = out.split('\n').find((l) => l.includes('"all_ready"'));
  if (line && !ready) ready = JSON.parse(line);
});

async function cleanup() {
  if (child.exitCode === null) { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); }
  const mariadb = require('mariadb');
  const conn = await mariadb.createConnection({ host: '127.0.0.1', user: 'root' });
  await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.end();
  const Redis = require('ioredis');
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  for (let cursor = '0'; ;) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    if ((cursor = next) === '0') break;
  }
  await redis.quit();
  rmSync(storage, { recursive: true, force: true });
  rmSync(probeDir, { recursive: true, force: true });
}

try {
  const started = Date.now();
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`appconda exited with ${child.exitCode}`);
    if (Date.now() - started > 300_000) throw new Error('no all_ready within 300 s');
    await sleep(200);
  }
  const atReady = ready.rssMb;
  await sleep(settle * 1000);
  const beforeProbe = rssOf(child.pid);
  child.kill('SIGUSR2');
  for (let i = 0; i < 100 && readdirSync(probeDir).length < 2; i++) await sleep(200);
  await sleep(500);
  const threads = readdirSync(probeDir).map((f) => JSON.parse(readFileSync(path.join(probeDir, f), 'utf8'))).sort((a, b) => a.threadId - b.threadId);
  const afterGc = rssOf(child.pid);
  const mappings = smapsOf(child.pid);
  const result = { at: new Date().toISOString(), rssMb: { allReady: atReady, afterSettle: beforeProbe, afterGc }, mappings, threads };
  console.log(`RSS: ${atReady} MB at all_ready, ${beforeProbe} MB after ${settle} s, ${afterGc} MB after a full GC in every thread`);
  const files = mappings.filter(([n]) => n !== '[anon]');
  console.log(`mapped: anonymous ${mappings.find(([n]) => n === '[anon]')?.[1]} MB, files ${Math.round(files.reduce((a, [, v]) => a + v, 0))} MB: ${files.slice(0, 12).map(([n, v]) => `${n} ${v}`).join(', ')}`);
  for (const t of threads) {
    const g = t.afterGc ?? t.before;
    console.log(`\nthread ${t.threadId} (${t.isMainThread ? 'main: api' : 'services'}): ${t.modules} modules; heap used ${t.before.heapUsedMb} MB / total ${t.before.heapTotalMb} MB` +
      (t.afterGc ? ` -> after GC used ${g.heapUsedMb} / total ${g.heapTotalMb} MB` : '') + `; external ${g.externalMb} MB (array buffers ${g.arrayBuffersMb}); malloced ${g.mallocedMb} MB`);
    console.log(`  code (MB): ${Object.entries(g.code).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  spaces (size/used MB): ${Object.entries(t.before.spaces).map(([k, s]) => `${k.replace('_space', '')} ${s.sizeMb}/${s.usedMb}`).join(', ')}`);
    const pkgs = Object.entries(t.packages).sort((a, b) => b[1].kb - a[1].kb).slice(0, top);
    console.log(`  top packages by source KB: ${pkgs.map(([p, s]) => `${p} ${s.kb}K/${s.modules} (<- ${s.from.join(' ')})`).join('\n    ')}`);
  }
  if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 1));
} finally {
  await cleanup();
}
