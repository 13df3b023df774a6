'use strict';
// Appconda's node runtime server for the open-runtimes v2 contract (Appwrite 1.3 functions), written for
// Appconda. One process serves one deployment:
//   POST / with `x-internal-challenge: $INTERNAL_RUNTIME_KEY` and `{variables, payload, timeout}`
//   → the user's export `(req, res)` (or its `.default`) runs with req = {variables, headers, payload};
//   → the answer is `{response, stdout, stderr}` with the status the code chose (500 when it threw).
// Unlike 1.3's runtime, each request has its own stdout/stderr (AsyncLocalStorage, so concurrent calls
// never mix) and its own process.env view: the request's variables over the server's environment, so a
// changed variable is seen on the next call without a restart.
// Env: INTERNAL_RUNTIME_KEY, INTERNAL_RUNTIME_ENTRYPOINT, INTERNAL_RUNTIME_CODE (default /usr/code),
// PORT (default 3000; 0 picks a free one, printed in the ready line), HOST (default 0.0.0.0),
// INTERNAL_RUNTIME_PARENT (process driver: the executor's pid; the server exits when it is gone).
const http = require('node:http');
const path = require('node:path');
const util = require('node:util');
const { AsyncLocalStorage } = require('node:async_hooks');

const LIMIT = 1_000_000;
const key = process.env.INTERNAL_RUNTIME_KEY || '';
const entrypoint = process.env.INTERNAL_RUNTIME_ENTRYPOINT || 'index.js';
const codeDir = process.env.INTERNAL_RUNTIME_CODE || '/usr/code';
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
// The user's code never sees the runtime's own secrets.
const parent = Number(process.env.INTERNAL_RUNTIME_PARENT || 0);
for (const name of ['INTERNAL_RUNTIME_KEY', 'INTERNAL_RUNTIME_ENTRYPOINT', 'INTERNAL_RUNTIME_CODE', 'INTERNAL_RUNTIME_PARENT']) delete process.env[name];
// Started by the process driver: exit when the executor that started us is gone, never run orphaned.
if (parent > 0) setInterval(() => process.ppid !== parent && process.exit(0), 1000).unref();

const context = new AsyncLocalStorage();

/** Bytes of text kept up to LIMIT; later writes are dropped once the buffer is full. */
class Output {
  constructor() {
    this.parts = [];
    this.size = 0;
  }
  write(text) {
    if (this.size >= LIMIT) return;
    const bytes = Buffer.from(text, 'utf8');
    const room = LIMIT - this.size;
    const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.parts.push(kept);
    this.size += kept.length;
  }
  toString() {
    // A cut in the middle of a multi-byte character decodes to U+FFFD; drop that tail instead.
    return Buffer.concat(this.parts).toString('utf8').replace(/\uFFFD$/, '');
  }
}

function capture(stream, fallback) {
  return (...args) => {
    const call = context.getStore();
    const line = `${util.format(...args)}\n`;
    if (call) call[stream].write(line);
    else fallback(line);
  };
}
const toStdout = (line) => process.stdout.write(line);
const toStderr = (line) => process.stderr.write(line);
console.log = console.info = console.debug = console.trace = capture('stdout', toStdout);
console.error = console.warn = capture('stderr', toStderr);

// process.env seen from inside a call: its variables first, then the server's environment.
const baseEnv = process.env;
process.env = new Proxy(baseEnv, {
  get(target, name) {
    const vars = context.getStore()?.variables;
    return vars && typeof name === 'string' && Object.hasOwn(vars, name) ? vars[name] : target[name];
  },
  has(target, name) {
    const vars = context.getStore()?.variables;
    return (vars !== undefined && Object.hasOwn(vars, name)) || name in target;
  },
  ownKeys(target) {
    const vars = context.getStore()?.variables ?? {};
    return [...new Set([...Reflect.ownKeys(target), ...Object.keys(vars)])];
  },
  getOwnPropertyDescriptor(target, name) {
    const vars = context.getStore()?.variables;
    if (vars && typeof name === 'string' && Object.hasOwn(vars, name)) return { value: vars[name], writable: true, enumerable: true, configurable: true };
    return Reflect.getOwnPropertyDescriptor(target, name);
  },
});

let userFunction;
function loadUserFunction() {
  if (userFunction) return userFunction;
  const exported = require(path.resolve(codeDir, entrypoint));
  const fn = typeof exported === 'function' ? exported : exported && exported.default;
  if (typeof fn !== 'function') throw new Error(`${entrypoint} does not export a function (module.exports = async (req, res) => { ... }).`);
  userFunction = fn;
  return fn;
}

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function errorText(error) {
  return error instanceof Error ? error.stack || error.message : String(error);
}

function run(call) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (status, response) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ status, response });
    };
    const timer = setTimeout(() => {
      call.stderr.write(`Execution timed out after ${call.timeout} s.\n`);
      finish(500, '');
    }, call.timeout * 1000);
    const res = {
      send: (text, status = 200) => finish(status, text === undefined || text === null ? '' : String(text)),
      json: (obj, status = 200) => finish(status, obj),
    };
    const req = { variables: call.variables, headers: {}, payload: call.payload };
    context.run(call, () => {
      try {
        Promise.resolve(loadUserFunction()(req, res)).catch((error) => {
          call.stderr.write(`${errorText(error)}\n`);
          finish(500, '');
        });
      } catch (error) {
        call.stderr.write(`${errorText(error)}\n`);
        finish(500, '');
      }
    });
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  if (req.headers['x-internal-challenge'] !== key || key === '') return reply(res, 401, { code: 401, message: 'Unauthorized' });
  if (req.method === 'GET') return reply(res, 200, { status: 'pass' });
  let body;
  try {
    body = JSON.parse((await readBody(req)) || '{}');
  } catch {
    return reply(res, 400, { code: 400, message: 'The body must be JSON.' });
  }
  const timeout = Number(body.timeout) > 0 ? Number(body.timeout) : 15;
  const variables = body.variables && typeof body.variables === 'object' ? body.variables : {};
  const call = { variables, payload: typeof body.payload === 'string' ? body.payload : '', timeout, stdout: new Output(), stderr: new Output() };
  const { status, response } = await run(call);
  let answer = typeof response === 'string' ? response : JSON.stringify(response ?? '');
  if (Buffer.byteLength(answer) > LIMIT) answer = Buffer.from(answer).subarray(0, LIMIT).toString('utf8').replace(/\uFFFD$/, '');
  reply(res, status, { response: answer, stdout: call.stdout.toString(), stderr: call.stderr.toString() });
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => process.stdout.write(`runtime listening on ${host}:${server.address().port}\n`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
