import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Docker from 'dockerode';
import { testRedisPrefix } from '@appconda/testing';

import { buildRequest, executeRequest, executorFor, NODE_FUNCTION, TestStorage } from '../test/fixtures';
import { ensureDockerEngine } from '../test/docker-engine';
import { DockerDriver, DockerDriverOptions } from './docker.driver';

const owner = testRedisPrefix();
const storage = new TestStorage();
const docker = new Docker();
const options: DockerDriverOptions = { owner, network: `${owner}_runtimes`, cpus: 0.5, memory: 192, memorySwap: 256, workDir: storage.work, docker };
const runtimeLabel = { label: [`appconda.executor=${owner}`, 'appconda.role=runtime'] };
let engine: string | undefined;

beforeAll(async () => {
  engine = await ensureDockerEngine(path.resolve(__dirname, '../../..'));
  if (engine) console.warn(`SKIP docker driver tests: ${engine}`);
}, 600_000);

afterAll(async () => {
  if (!engine) {
    for (const info of await docker.listContainers({ all: true, filters: { label: [`appconda.executor=${owner}`] } })) await docker.getContainer(info.Id).remove({ force: true });
    await docker.getNetwork(options.network).remove().catch(() => undefined);
  }
  storage.cleanup();
});

const runtimes = async () => docker.listContainers({ all: true, filters: runtimeLabel });

describe('executor with the docker driver (real Docker engine, locally built openruntimes/node:v2-18.0)', () => {
  const first = executorFor(new DockerDriver(options), storage, { owner, inactiveSeconds: 60 });
  let build: { request: ReturnType<typeof buildRequest>; path: string };
  const run = (sut: typeof first, payload: string, extra = {}) => sut.service.execute(executeRequest(build.request, build.path, { payload, ...extra }));

  beforeAll(async () => {
    if (engine) return;
    await first.pool.init();
  });

  afterAll(() => first.pool.close());

  const live = (name: string, fn: () => Promise<void>, timeout = 180_000) => it(name, async () => (engine ? undefined : fn()), timeout);

  live('builds in a container of the runtime image: npm install of a package.json dependency', async () => {
    const request = buildRequest(
      storage.tarball({
        'package.json': JSON.stringify({ name: 'fn', version: '1.0.0', dependencies: { ms: '2.1.3' } }),
        'index.js': `const ms = require('ms');\n${NODE_FUNCTION.replace("if (p === 'status')", "if (p === 'ms') return res.send(String(ms('1m')));\n  if (p === 'status')")}`,
      }),
    );
    const result = await first.service.build(request);

    expect(result).toMatchObject({ status: 'ready' });
    expect(execFileSync('tar', ['-tzf', result.path]).toString()).toMatch(/node_modules\/ms\/package\.json/);
    build = { request, path: result.path };
  });

  live('cold starts one container, then runs warm in it with the installed dependency', async () => {
    const started = Date.now();
    const cold = await run(first, 'hello', { variables: { GREETING: 'hi' } });
    const coldMs = Date.now() - started;
    const warm = await run(first, 'ms');
    const changed = await run(first, 'again', { variables: { GREETING: 'changed' } });

    expect(cold.statusCode).toBe(200);
    expect(JSON.parse(cold.response)).toMatchObject({ payload: 'hello', env: 'hi' });
    expect(warm).toMatchObject({ statusCode: 200, response: '60000' });
    expect(JSON.parse(changed.response)).toMatchObject({ env: 'changed', boot: JSON.parse(cold.response).boot });
    expect(await runtimes()).toHaveLength(1);
    expect(coldMs).toBeLessThan(20_000);
  });

  live('applies the CPU, memory and swap limits, the runtime network only and no capabilities', async () => {
    const [info] = await runtimes();
    const inspected = await docker.getContainer(info.Id).inspect();

    expect(inspected.HostConfig).toMatchObject({ NanoCpus: 500_000_000, Memory: 192 * 1024 * 1024, MemorySwap: 256 * 1024 * 1024, NetworkMode: options.network, CapDrop: ['ALL'] });
    expect(inspected.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(Object.keys(inspected.NetworkSettings.Networks)).toEqual([options.network]);
    expect(inspected.Mounts).toEqual([]);
    expect(inspected.Config.Labels).toMatchObject({ 'appconda.project': 'p1', 'appconda.deployment': build.request.deploymentId, 'appconda.runtime': 'node-18.0' });
  });

  live('keeps stdout/stderr of concurrent executions apart', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => run(first, `log:k${i}`)));

    results.forEach((result, i) => expect(result.stdout).toBe([0, 1, 2, 3, 4].map((n) => `out k${i} ${n}\n`).join('')));
  });

  live('times out a busy loop without harming the executor, and the next call gets a fresh container', async () => {
    const timedOut = await run(first, 'spin', { timeout: 1 });
    const next = await run(first, 'pid');

    expect(timedOut).toMatchObject({ statusCode: 500, stderr: 'Execution timed out after 1 s.' });
    expect(next.statusCode).toBe(200);
  });

  live('recreates a container that was killed behind its back', async () => {
    const [info] = await runtimes();
    await docker.getContainer(info.Id).remove({ force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = await run(first, 'after-kill');

    expect(next.statusCode).toBe(200);
    expect((await runtimes()).map((c) => c.Id)).not.toContain(info.Id);
  });

  live('removes an idle container at the clean-up, but not while an execution runs in it', async () => {
    const slow = run(first, 'sleep:1500', { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await first.pool.reap(Date.now() + 3_600_000);
    await slow;
    const after = await first.pool.reap(Date.now() + 3_600_000);

    expect(during).toEqual([]);
    expect(after).toHaveLength(1);
    expect(await runtimes()).toHaveLength(0);
  });

  live('builds and runs a python function in openruntimes/python:v2-3.9', async () => {
    const request = buildRequest(storage.tarball({ 'main.py': 'import os\ndef main(req, res):\n    print("py", req.payload)\n    res.json({"env": os.environ.get("GREETING")})\n' }), 'python-3.9', 'main.py');
    const result = await first.service.build(request);
    const execution = await first.service.execute(executeRequest(request, result.path, { payload: 'p', variables: { GREETING: 'hey' } }));
    await first.service.deleteRuntime(request);

    expect(result.status).toBe('ready');
    expect(execution).toMatchObject({ statusCode: 200, stdout: 'py p\n', response: '{"env": "hey"}' });
  });

  live('adopts its running containers after an executor restart and removes the stopped ones', async () => {
    const warm = JSON.parse((await run(first, 'before-restart')).response).boot;
    const [running] = await runtimes();
    const stale = await docker.createContainer({ Image: 'openruntimes/node:v2-18.0', Labels: { 'appconda.executor': owner, 'appconda.role': 'runtime' }, HostConfig: { NetworkMode: options.network } });
    await first.pool.close();

    const restarted = executorFor(new DockerDriver(options), storage, { owner, inactiveSeconds: 60 });
    await restarted.pool.init();
    const adopted = restarted.pool.list().map((r) => r.name);
    const after = await run(restarted, 'after-restart');
    const left = await runtimes();
    await restarted.pool.close();

    expect(adopted).toEqual([running.Names[0].slice(1)]);
    expect(JSON.parse(after.response).boot).toBe(warm);
    expect(left.map((c) => c.Id)).toEqual([running.Id]);
    expect(left.map((c) => c.Id)).not.toContain(stale.id);
  });

  live('keeps at most _APP_FUNCTIONS_CONTAINERS warm containers, stopping the least recently used', async () => {
    const lruOwner = `${owner}lru`;
    const limited = executorFor(new DockerDriver({ ...options, owner: lruOwner }), storage, { owner: lruOwner, maxWarm: 1 });
    const requests = [buildRequest(storage.tarball({ 'index.js': NODE_FUNCTION })), buildRequest(storage.tarball({ 'index.js': NODE_FUNCTION }))];
    const builds = await Promise.all(requests.map((request) => limited.service.build(request)));
    const containers = () => docker.listContainers({ all: true, filters: { label: [`appconda.executor=${lruOwner}`, 'appconda.role=runtime'] } });
    try {
      await limited.service.execute(executeRequest(requests[0], builds[0].path, { payload: 'a' }));
      const afterFirst = (await containers()).map((c) => c.Labels['appconda.deployment']);
      await limited.service.execute(executeRequest(requests[1], builds[1].path, { payload: 'b' }));
      const afterSecond = (await containers()).map((c) => c.Labels['appconda.deployment']);

      expect(afterFirst).toEqual([requests[0].deploymentId]);
      expect(afterSecond).toEqual([requests[1].deploymentId]);
    } finally {
      for (const info of await containers()) await docker.getContainer(info.Id).remove({ force: true });
      await limited.pool.close();
    }
  });
});
