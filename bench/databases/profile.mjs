// Summarises a V8 .cpuprofile (node --cpu-prof) over a time window: self time per function, self
// time per package/area, and inclusive time of Appconda's own functions (dist/libs, dist/apps).
//
//   node bench/databases/profile.mjs <file.cpuprofile> [fromMs] [toMs]   (ms since the profile started)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Which package or part of the code a frame belongs to. */
export function areaOf(callFrame) {
  const url = callFrame.url ?? '';
  if (!url) return SPECIAL.has(callFrame.functionName) ? callFrame.functionName : '(native/V8 builtins)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = /\/dist\/((?:libs\/domain|libs|apps)\/[^/]+)\//.exec(url);
  if (dist) return `appconda ${dist[1]}`;
  return url.replace(/^file:\/\//, '');
}

const short = (url) => (url ?? '').replace(/^file:\/\//, '').replace(/^.*?\/(node_modules|dist)\//, '$1/');

export function summariseProfile(profile, window = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const from = (window.from ?? 0) * 1000;
  const to = (window.to ?? Number.POSITIVE_INFINITY) * 1000;

  const self = new Map();
  const callers = new Map(); // self key -> Map(first JS caller outside node internals -> samples)
  const areas = new Map();
  const inclusive = new Map();
  let t = 0;
  let counted = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t > to) continue;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    counted += 1;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idle += 1;
      continue;
    }
    const key = `${frame.functionName || '(anonymous)'}|${short(frame.url)}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
    // Who asked for it: the nearest ancestor that is package or Appconda code (not V8/node internals).
    let caller = '(none)';
    for (let id = parent.get(node.id), guard = 0; id !== undefined && guard < 2000; id = parent.get(id), guard++) {
      const f = byId.get(id).callFrame;
      if (f.url && !f.url.startsWith('node:')) {
        caller = `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;
        break;
      }
    }
    if (!callers.has(key)) callers.set(key, new Map());
    callers.get(key).set(caller, (callers.get(key).get(caller) ?? 0) + 1);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + 1);
    // Inclusive time of Appconda's own frames: each distinct frame once per sample.
    const seen = new Set();
    for (let id = node.id, guard = 0; id !== undefined && guard < 2000; id = parent.get(id), guard++) {
      const f = byId.get(id).callFrame;
      if (!/\/dist\/(libs|apps)\//.test(f.url ?? '')) continue;
      const k = `${f.functionName || '(anonymous)'}|${short(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
    }
  }
  const busy = counted - idle;
  const pct = (n) => Math.round((n / Math.max(1, busy)) * 1000) / 10;
  const split = (k) => {
    const [name, where] = k.split('|');
    return { name, where };
  };
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    samples: counted,
    idlePercent: Math.round((idle / Math.max(1, counted)) * 1000) / 10,
    note: 'percentages are of the non-idle samples in the window',
    topFunctions: sorted(self)
      .slice(0, 40)
      .map(([k, n]) => ({
        ...split(k),
        selfPercent: pct(n),
        callers: sorted(callers.get(k))
          .slice(0, 4)
          .map(([c, m]) => ({ caller: c, selfPercent: pct(m) })),
      })),
    byArea: sorted(areas)
      .slice(0, 30)
      .map(([area, n]) => ({ area, selfPercent: pct(n) })),
    appcondaInclusive: sorted(inclusive)
      .slice(0, 30)
      .map(([k, n]) => ({ ...split(k), inclusivePercent: pct(n) })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/databases/profile.mjs <file.cpuprofile> [fromMs] [toMs]');
    process.exit(2);
  }
  const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')), { from: from && Number(from), to: to && Number(to) });
  console.log(JSON.stringify(summary, null, 2));
}
