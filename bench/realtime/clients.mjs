// Client side of the realtime benchmark (a process of its own, driven over IPC by run.mjs): opens N
// WebSockets to the measured realtime process, then, per command, writes a document through the API
// and records when each socket receives its event (same clock as the write: this process).
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();
let sockets = [];
/** Per measurement: which event id we wait for, arrival times. */
let waiting;

function connect({ url, sessions, n, channelsMix, concurrency = 200 }) {
  return new Promise((resolve) => {
    let next = 0;
    let done = 0;
    let failed = 0;
    const open = () => {
      if (next >= n) return;
      const i = next++;
      const session = sessions[i % sessions.length];
      const channels = channelsMix[i % channelsMix.length];
      const query = `project=${session.projectId}&${channels.map((c) => `channels[]=${encodeURIComponent(c)}`).join('&')}`;
      // A distinct client address per socket, as many browsers would be (1.3 limits 128 connections a minute per IP).
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const ws = new WebSocket(`${url}?${query}`, { headers: { cookie: session.cookie, origin: 'http://localhost', 'x-forwarded-for': ip }, perMessageDeflate: false });
      ws.on('message', (data) => {
        if (!ws.connectedOnce) {
          ws.connectedOnce = true;
          const message = JSON.parse(data.toString());
          if (message.type !== 'connected') failed += 1;
          done += 1;
          if (done === n) resolve({ connected: n - failed, failed });
          else open();
          return;
        }
        if (!waiting) return;
        const text = data.toString();
        if (text.includes(waiting.marker)) {
          waiting.arrivals.push(now() - waiting.t0);
          if (waiting.arrivals.length === waiting.expected) waiting.resolve();
        } else if (waiting.counter !== undefined) {
          waiting.counter += 1;
          if (waiting.counter === waiting.expected) waiting.resolve();
        }
      });
      ws.on('error', () => undefined);
      sockets.push(ws);
    };
    for (let k = 0; k < concurrency; k++) open();
  });
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function write({ endpoint, projectId, key, expected, permissions, marker, timeoutMs = 30_000 }) {
  const arrivals = [];
  const done = new Promise((resolve) => (waiting = { marker, expected, arrivals, resolve, t0: 0 }));
  waiting.t0 = now();
  const res = await fetch(`${endpoint}/databases/bench/collections/items/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-appwrite-project': projectId, 'x-appwrite-key': key },
    body: JSON.stringify({ documentId: 'unique()', data: { title: marker }, permissions }),
  });
  const answeredMs = now() - waiting.t0;
  if (res.status !== 201) throw new Error(`write answered ${res.status}: ${await res.text()}`);
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  waiting = undefined;
  const sorted = arrivals.sort((a, b) => a - b);
  // From the write's start (what a user sees) and from the API's answer (the realtime path alone: bus, index, sockets).
  const afterAnswer = sorted.map((ms) => ms - answeredMs);
  return { expected, received: sorted.length, writeMs: answeredMs, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1), afterAnswerP50: percentile(afterAnswer, 50), afterAnswerP99: percentile(afterAnswer, 99) };
}

/** Counts every event frame until `expected` arrived (the throughput run, published straight on Redis). */
async function count({ expected, timeoutMs = 120_000 }) {
  const done = new Promise((resolve) => (waiting = { marker: '\u0000never', expected, arrivals: [], counter: 0, resolve }));
  const t0 = now();
  process.send({ type: 'armed' });
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  const result = { received: waiting.counter, ms: now() - t0 };
  waiting = undefined;
  return result;
}

process.on('message', async (command) => {
  try {
    if (command.type === 'connect') process.send({ type: 'connected', ...(await connect(command)) });
    else if (command.type === 'write') process.send({ type: 'written', ...(await write(command)) });
    else if (command.type === 'count') process.send({ type: 'counted', ...(await count(command)) });
    else if (command.type === 'close') {
      for (const ws of sockets) ws.terminate();
      sockets = [];
      process.send({ type: 'closed' });
    }
  } catch (error) {
    process.send({ type: 'error', message: String(error?.stack ?? error) });
  }
});
