import { existsSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { BuildResult, EXECUTION_OUTPUT_LIMIT } from '@appconda/contracts';
import { AppException } from '@appconda/core';

import { buildRequest, executeRequest, executorFor, NODE_FUNCTION, SECRET, TestStorage } from '../test/fixtures';
import { ProcessDriver, runtimeServersDir } from './process.driver';

const storage = new TestStorage();
const driver = new ProcessDriver(storage.work);
const { pool, service: sut } = executorFor(driver, storage, { inactiveSeconds: 1 });
const hasPython = spawnSync('python3', ['--version']).status === 0;

afterAll(async () => {
  await pool.close();
  storage.cleanup();
});

async function built(files: Record<string, string>, runtime = 'node-18.0', entrypoint = 'index.js') {
  const request = buildRequest(storage.tarball(files), runtime, entrypoint);
  const result = await sut.build(request);
  return { request, result };
}

describe('executor with the process driver (real child processes)', () => {
  let node: { request: ReturnType<typeof buildRequest>; result: BuildResult };
  const run = (payload: string, extra: object = {}) => sut.execute(executeRequest(node.request, node.result.path, { payload, ...extra }));

  beforeAll(async () => {
    node = await built({ 'index.js': NODE_FUNCTION });
  });

  it('builds a one-file node function to a ready artifact', () => {
    expect(node.result).toMatchObject({ status: 'ready', stderr: '' });
    expect(existsSync(node.result.path)).toBe(true);
    expect(node.result.size).toBeGreaterThan(0);
    expect(node.result.duration).toBeGreaterThan(0);
  });

  it('executes cold then warm: res.json with payload, variables in req and process.env', async () => {
    const cold = await run('hello', { variables: { GREETING: 'hi', APPWRITE_FUNCTION_ID: 'f1' } });
    const warm = await run('again', { variables: { GREETING: 'hi' } });

    expect(cold).toMatchObject({ statusCode: 200, stderr: '' });
    expect(JSON.parse(cold.response)).toMatchObject({ payload: 'hello', env: 'hi', variable: 'hi', fnId: 'f1' });
    expect(JSON.parse(warm.response).pid).toBe(JSON.parse(cold.response).pid);
    expect(warm.duration).toBeGreaterThan(0);
  });

  it('shows a changed variable in process.env on the next execution (same warm runtime)', async () => {
    const first = JSON.parse((await run('v', { variables: { GREETING: 'one' } })).response);
    const second = JSON.parse((await run('v', { variables: { GREETING: 'two' } })).response);
    const removed = JSON.parse((await run('v', { variables: {} })).response);

    expect([first.env, second.env, removed.env]).toEqual(['one', 'two', null]);
    expect(second.pid).toBe(first.pid);
  });

  it('never mixes stdout/stderr of concurrent executions of one function', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `c${i}`);
    const results = await Promise.all(ids.map((id) => run(`log:${id}`)));

    results.forEach((result, i) => {
      const id = ids[i];
      expect(result.response).toBe(id);
      expect(result.stdout).toBe([0, 1, 2, 3, 4].map((n) => `out ${id} ${n}\n`).join(''));
      expect(result.stderr).toBe([0, 1, 2, 3, 4].map((n) => `err ${id} ${n}\n`).join(''));
    });
  });

  it('answers 500 with the stack in stderr when the code throws, and a chosen status as is', async () => {
    const thrown = await run('throw');
    const chosen = await run('status');

    expect(thrown.statusCode).toBe(500);
    expect(thrown.stderr).toContain('Error: thrown on purpose');
    expect(chosen).toMatchObject({ statusCode: 503, response: 'bad' });
  });

  it('cuts response and stdout at 1,000,000 bytes', async () => {
    const result = await run('big');

    expect(Buffer.byteLength(result.stdout)).toBe(EXECUTION_OUTPUT_LIMIT);
    expect(Buffer.byteLength(result.response)).toBe(EXECUTION_OUTPUT_LIMIT);
  });

  it('marks a timeout failed with a clear stderr (async code: the runtime answers itself)', async () => {
    const result = await run('sleep:5000', { timeout: 1 });
    const after = await run('after');

    expect(result.statusCode).toBe(500);
    expect(result.stderr).toMatch(/timed out after 1 s/);
    expect(after.statusCode).toBe(200);
  });

  it('kills a runtime stuck in a busy loop after its timeout and starts a fresh one for the next call', async () => {
    const before = JSON.parse((await run('pid')).response).pid;
    const result = await run('spin', { timeout: 1 });
    const after = await run('pid');

    expect(result).toMatchObject({ statusCode: 500, stderr: 'Execution timed out after 1 s.' });
    expect(after.statusCode).toBe(200);
    expect(JSON.parse(after.response).pid).not.toBe(before);
    expect(() => process.kill(before, 0)).toThrow();
  });

  it('recreates a runtime that died, on the next call', async () => {
    const died = await run('exit');
    const next = await run('pid');
    const killer = JSON.parse((await run('pid')).response).pid;
    await run('exit-after');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const afterQuietDeath = await run('pid');

    expect(died.statusCode).toBe(500);
    expect(died.stderr).toMatch(/runtime stopped during the execution/);
    expect(next.statusCode).toBe(200);
    expect(afterQuietDeath.statusCode).toBe(200);
    expect(JSON.parse(afterQuietDeath.response).pid).not.toBe(killer);
  });

  it('never stops a runtime with an execution in flight at the idle clean-up', async () => {
    await run('warm');
    const slow = run('sleep:1500', { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const reapedDuring = await pool.reap(Date.now() + 3_600_000);
    const result = await slow;
    const reapedAfter = await pool.reap(Date.now() + 3_600_000);

    expect(reapedDuring).toEqual([]);
    expect(result).toMatchObject({ statusCode: 200, response: 'slept' });
    expect(reapedAfter).toHaveLength(1);
    expect(pool.list()).toHaveLength(0);
  });

  it('refuses a wrong secret and an unknown runtime with AppExceptions', async () => {
    const wrong = await sut.execute({ ...executeRequest(node.request, node.result.path), secret: 'nope' }).catch((e: unknown) => e);
    const unknown = await sut.build({ ...buildRequest(node.result.path), runtime: 'php-8.0' }).catch((e: unknown) => e);

    expect(wrong).toBeInstanceOf(AppException);
    expect((wrong as Error).message).toMatch(/_APP_EXECUTOR_SECRET/);
    expect(unknown).toMatchObject({ type: 'function_runtime_unsupported' });
    expect(SECRET).not.toBe('nope');
  });
});

describe('builds with the process driver', () => {
  it('installs a package.json dependency with npm (the registry) and runs with it', async () => {
    const { request, result } = await built({
      'package.json': JSON.stringify({ name: 'fn', version: '1.0.0', dependencies: { ms: '2.1.3' } }),
      'index.js': "const ms = require('ms'); module.exports = (req, res) => res.send(String(ms('2m')));",
    });
    const execution = await sut.execute(executeRequest(request, result.path));

    expect(result.status).toBe('ready');
    expect(execution).toMatchObject({ statusCode: 200, response: '120000' });
  }, 120_000);

  it('runs a `.default` export (ES module style) and reports a module that exports no function', async () => {
    const withDefault = await built({ 'index.js': 'exports.default = async (req, res) => res.send("from default " + req.payload);' });
    const noFunction = await built({ 'index.js': 'module.exports = { nothing: true };' });

    expect(await sut.execute(executeRequest(withDefault.request, withDefault.result.path, { payload: 'x' }))).toMatchObject({ statusCode: 200, response: 'from default x' });
    const failed = await sut.execute(executeRequest(noFunction.request, noFunction.result.path));
    expect(failed.statusCode).toBe(500);
    expect(failed.stderr).toMatch(/index\.js does not export a function/);
  });

  it('fails a build whose npm install fails, with npm’s stderr', async () => {
    const { result } = await built({
      'package.json': JSON.stringify({ name: 'fn', version: '1.0.0', dependencies: { 'appconda-no-such-package-x9q': '1.0.0' } }),
      'index.js': 'module.exports = (req, res) => res.send("x");',
    });

    expect(result).toMatchObject({ status: 'failed', path: '' });
    expect(result.stderr).toMatch(/404|not found/i);
    expect(result.stderr).toMatch(/Installing the dependencies failed/);
  }, 120_000);

  it('fails a build that outlives the build timeout', async () => {
    const request = { ...buildRequest(storage.tarball({ 'package.json': '{"name":"fn","version":"1.0.0","scripts":{"install":"sleep 30"}}', 'index.js': '' })), timeout: 1 };
    const result = await sut.build(request);

    expect(result).toMatchObject({ status: 'failed' });
    expect(result.stderr).toMatch(/timed out after 1 s/);
    expect(result.duration).toBeLessThan(10);
  });

  it('fails a build whose entrypoint does not exist, leaving nothing on disk', async () => {
    const before = storage.leftovers();
    const { result } = await built({ 'main.js': 'module.exports = () => {}' }, 'node-18.0', 'index.js');

    expect(result).toMatchObject({ status: 'failed', path: '', size: 0 });
    expect(result.stderr).toBe('The entrypoint "index.js" does not exist in the deployment\'s code.');
    expect(storage.leftovers()).toEqual(before);
  });

  it.each([
    ['a `..` path', { 'a.js': 'x' }, { args: ['-P', '--transform=s,^a.js,../evil.js,'] }, /leaves the code folder/],
    ['an absolute path', { 'a.js': 'x' }, { args: ['-P', '--transform=s,^a.js,/tmp/evil.js,'] }, /absolute path/],
    ['a symlink escaping the code folder', { 'index.js': 'x' }, { symlinks: { passwd: '/etc/passwd' } }, /symbolic link "passwd"/],
    ['a relative symlink escaping it', { 'index.js': 'x' }, { symlinks: { 'up': '../../..' } }, /symbolic link "up"/],
    ['a hard link escaping it', { a: 'x', 'index.js': 'x' }, { hardlinks: { b: 'a' }, args: ['-P', '--transform=s,^a$,../outside,RSh'] }, /hard link "b"/],
  ])('refuses a tarball with %s, leaving nothing on disk', async (_label, files, extra, message) => {
    const before = storage.leftovers();
    const result = await sut.build(buildRequest(storage.tarball(files, extra)));

    expect(result.status).toBe('failed');
    expect(result.stderr).toMatch(message);
    expect(storage.leftovers()).toEqual(before);
    expect(existsSync('/tmp/evil.js')).toBe(false);
  });

  it('accepts a symlink that stays inside the code folder', async () => {
    const result = await sut.build(buildRequest(storage.tarball({ 'lib/real.js': 'module.exports = (req, res) => res.send("ok")' }, { symlinks: { 'index.js': 'lib/real.js' } })));

    expect(result.status).toBe('ready');
  });

  it('refuses a source that is not a gzip tarball', async () => {
    const request = buildRequest(storage.tarball({ 'index.js': 'x' }));
    const plain = `${storage.functions}/plain.tar.gz`;
    writeFileSync(plain, 'this is not gzip');
    const text = await sut.build({ ...request, source: plain });

    expect(text.stderr).toMatch(/not a valid \.tar\.gz/);
  });

  (hasPython ? it : it.skip)('installs a requirements.txt into a .venv the python runtime uses', async () => {
    const { request, result } = await built({ 'requirements.txt': '# nothing to fetch: PyPI is not reachable here\n', 'main.py': 'import sys\ndef main(req, res):\n    res.send(str(any(".venv" in p for p in sys.path)))\n' }, 'python-3.9', 'main.py');
    const execution = await sut.execute(executeRequest(request, result.path));

    expect(result.status).toBe('ready');
    expect(execFileSync('tar', ['-tzf', result.path]).toString()).toMatch(/\.venv\/bin\/python3?\n/);
    expect(execution).toMatchObject({ statusCode: 200, response: 'True' });
  }, 180_000);

  (hasPython ? it : it.skip)('builds and runs a python function (this machine’s python3)', async () => {
    const { request, result } = await built(
      { 'main.py': 'import os\ndef main(req, res):\n    print("py", req.payload)\n    res.json({"payload": req.payload, "env": os.environ.get("GREETING")})\n' },
      'python-3.9',
      'main.py',
    );
    const execution = await sut.execute(executeRequest(request, result.path, { payload: 'p', variables: { GREETING: 'hey' } }));

    expect(result.status).toBe('ready');
    expect(execution).toMatchObject({ statusCode: 200, stdout: 'py p\n' });
    expect(JSON.parse(execution.response)).toEqual({ payload: 'p', env: 'hey' });
  });
});


describe('runtime servers started by the process driver', () => {
  it.each([
    ['node', process.execPath, 'node/server.js'],
    ...(hasPython ? [['python', 'python3', 'python/server.py']] : []),
  ])('the %s server exits when the executor that started it dies (no orphans)', async (_name, command, server) => {
    const script = `INTERNAL_RUNTIME_PARENT=$$ INTERNAL_RUNTIME_KEY=k PORT=0 HOST=127.0.0.1 INTERNAL_RUNTIME_CODE=${storage.root} "${command}" "${path.join(runtimeServersDir(), server)}" >/dev/null & echo $!; wait`;
    const parent = spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const aliveBefore = isAlive(pid);
    parent.kill('SIGKILL');
    const until = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));

    expect(aliveBefore).toBe(true);
    expect(isAlive(pid)).toBe(false);
  }, 20_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
