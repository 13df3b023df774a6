// Memory probe for `appconda all`, preloaded into every thread with
//   APPCONDA_PROBE_DIR=<dir> node --require ./bench/memory/probe.cjs tools/cli/appconda.js all
// (a Worker inherits the parent's execArgv, so the services thread loads it too). On SIGUSR2 the main
// thread asks every thread, over a BroadcastChannel, to write <dir>/thread-<threadId>.json: its V8 heap
// (before and, with --expose-gc, after a full collection), its heap spaces and the modules in its
// require.cache grouped by package (node_modules package or dist/libs|apps project) with their source
// bytes (APPCONDA_PROBE_SNAPSHOT=<dir>: also a heap snapshot per thread there). Nothing happens without APPCONDA_PROBE_DIR.
'use strict';
const dir = process.env.APPCONDA_PROBE_DIR;
if (dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const v8 = require('node:v8');
  const { BroadcastChannel, isMainThread, threadId } = require('node:worker_threads');
  const mb = (n) => Math.round((n / 1024 / 1024) * 10) / 10;

  const ownerOf = (file) => {
    const nm = file.lastIndexOf('/node_modules/');
    if (nm >= 0) {
      const rest = file.slice(nm + 14).split('/');
      return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    }
    const m = /\/dist\/((?:libs|apps)\/(?:domain\/)?[^/]+)\//.exec(file);
    return m ? m[1] : 'other';
  };

  const heap = () => {
    const h = v8.getHeapStatistics();
    const u = process.memoryUsage();
    return { rssMb: mb(u.rss), heapUsedMb: mb(h.used_heap_size), heapTotalMb: mb(h.total_heap_size), externalMb: mb(u.external), arrayBuffersMb: mb(u.arrayBuffers), mallocedMb: mb(h.malloced_memory), code: Object.fromEntries(Object.entries(v8.getHeapCodeStatistics()).map(([k, v]) => [k, mb(v)])), spaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { sizeMb: mb(s.space_size), usedMb: mb(s.space_used_size) }])) };
  };

  const report = () => {
    const packages = {};
    for (const file of Object.keys(require.cache)) {
      const owner = ownerOf(file);
      const entry = (packages[owner] ??= { modules: 0, kb: 0, from: [] });
      entry.modules += 1;
      // Who brought the package in: the first requirer (module.parent) of each of its modules outside it.
      const parent = require.cache[file].parent?.filename;
      const by = parent ? ownerOf(parent) : null;
      if (by && by !== owner && !entry.from.includes(by)) entry.from.push(by);
      try { entry.kb += fs.statSync(file).size / 1024; } catch { /* gone */ }
    }
    for (const entry of Object.values(packages)) entry.kb = Math.round(entry.kb);
    const before = heap();
    let afterGc = null;
    if (typeof global.gc === 'function') { global.gc(); global.gc(); afterGc = heap(); }
    if (process.env.APPCONDA_PROBE_SNAPSHOT) v8.writeHeapSnapshot(path.join(process.env.APPCONDA_PROBE_SNAPSHOT, `thread-${threadId}.heapsnapshot`));
    const file = path.join(dir, `thread-${threadId}.json`);
    fs.writeFileSync(file, JSON.stringify({ threadId, isMainThread, modules: Object.keys(require.cache).length, before, afterGc, packages }, null, 1));
  };

  const channel = new BroadcastChannel('appconda-memory-probe');
  channel.unref();
  channel.onmessage = () => report();
  if (isMainThread) {
    process.on('SIGUSR2', () => { report(); channel.postMessage('report'); }); // a channel does not hear itself
  }
}
