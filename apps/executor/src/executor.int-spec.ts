import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appConfig } from '@appconda/config';
import { overrideEnv, testRedisPrefix } from '@appconda/testing';
import { ExecutorClient, RunningService } from '@appconda/transport';

const storage = mkdtempSync(path.join(tmpdir(), 'appconda-executor-app-'));
const restoreEnv = overrideEnv({ _APP_REDIS_PREFIX: testRedisPrefix(), _APP_STORAGE_ROOT: storage, _APP_EXECUTOR_SECRET: 'app-spec-secret', _APP_EXECUTOR_DRIVER: 'process' });

describe('the executor app over the Redis transport (ExecutorClient → executor → process runtime)', () => {
  let running: RunningService;
  let client: ExecutorClient;

  beforeAll(async () => {
    running = await (await import('./main')).ready;
    client = new ExecutorClient(appConfig());
  });

  afterAll(async () => {
    await client.onApplicationShutdown();
    await running.app.close();
    restoreEnv();
    rmSync(storage, { recursive: true, force: true });
  });

  it('builds a deployment and executes it, signed with the secret', async () => {
    const code = path.join(storage, 'src');
    mkdirSync(code);
    writeFileSync(path.join(code, 'index.js'), "module.exports = (req, res) => { console.log('ran'); res.json({ got: req.payload, id: process.env.APPWRITE_FUNCTION_ID }); };");
    const source = path.join(storage, 'functions', 'code.tar.gz');
    mkdirSync(path.dirname(source), { recursive: true });
    execFileSync('tar', ['-czf', source, '-C', code, 'index.js']);
    const call = { projectId: 'p1', functionId: 'f1', deploymentId: 'd1', runtime: 'node-18.0' };

    const build = await client.build({ ...call, source, entrypoint: 'index.js', timeout: 60, variables: {} });
    const execution = await client.execute({ ...call, buildPath: build.path, entrypoint: 'index.js', variables: { APPWRITE_FUNCTION_ID: 'f1' }, payload: 'ping', timeout: 5 });
    await client.deleteRuntime(call);

    expect(build).toMatchObject({ status: 'ready', stderr: '' });
    expect(execution).toMatchObject({ statusCode: 200, stdout: 'ran\n', stderr: '' });
    expect(JSON.parse(execution.response)).toEqual({ got: 'ping', id: 'f1' });
  });

  it('answers an unknown runtime with function_runtime_unsupported', async () => {
    const error = await client.deleteRuntime({ projectId: 'p1', functionId: 'f1', deploymentId: 'd1', runtime: 'cobol-1.0' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ type: 'function_runtime_unsupported', code: 404 });
  });
});
