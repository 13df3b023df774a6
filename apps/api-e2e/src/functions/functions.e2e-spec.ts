import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

import * as mariadb from 'mariadb';
import * as sdk from 'node-appwrite';
import * as tar from 'tar';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { eventually, failure, keyClient, raw, signedInUser, web } from '../../support/identity-clients';
import { storageRoot } from '../storage/side-api';
import { codeArchive, ECHO, removeArchive, SLEEPER, STATUS, WITH_DEPENDENCY } from './function-code';

// Functions through node-appwrite 9 (API key) and the web SDK (a signed-in user) against `appconda all`
// with the process driver: CRUD and its errors, runtimes, variables, deployments built by worker-builds,
// sync/async/user executions run by the executor, event and schedule triggers, usage.

type Deployment = sdk.Models.Deployment;
type Execution = sdk.Models.Execution;

const archives: string[] = [];

async function archive(files: Record<string, string>): Promise<string> {
  const file = await codeArchive(files);
  archives.push(file);
  return file;
}

describe('functions (node-appwrite 9 + appwrite 11 against appconda all)', () => {
  let session: ConsoleSession;
  let functions: sdk.Functions;

  /** Uploads code and waits for its build to end; resolves the deployment as the build left it. */
  async function deploy(functionId: string, files: Record<string, string>, entrypoint = 'index.js', activate = true): Promise<Deployment> {
    const created = await functions.createDeployment(functionId, entrypoint, sdk.InputFile.fromPath(await archive(files), 'code.tar.gz'), activate);
    expect(created.status).toBe('processing');
    return eventually(
      async () => {
        const deployment = await functions.getDeployment(functionId, created.$id);
        return deployment.status === 'ready' || deployment.status === 'failed' ? deployment : undefined;
      },
      `the build of ${created.$id}`,
      60_000,
    );
  }

  /** A node-18.0 function with ECHO deployed and active. */
  async function echoFunction(id: string, execute: string[] = ['any'], extra: { events?: string[]; schedule?: string; timeout?: number } = {}) {
    const fn = await functions.create(id, `Fn ${id}`, 'node-18.0', execute, extra.events, extra.schedule, extra.timeout);
    const deployment = await deploy(fn.$id, { 'index.js': ECHO });
    expect(deployment.status).toBe('ready');
    return { fn, deployment };
  }

  beforeAll(async () => {
    session = await bootstrapConsole('functions');
    functions = new sdk.Functions(keyClient(session.projectId, session.key));
  });

  afterAll(() => archives.forEach(removeArchive));

  it('creates, reads, lists, updates and deletes functions with the 1.3 model and errors', async () => {
    const fn = await functions.create('crud', 'CRUD', 'node-18.0', ['any'], ['users.*.create'], '', 10, true);
    expect(fn).toMatchObject({ $id: 'crud', name: 'CRUD', runtime: 'node-18.0', execute: ['any'], events: ['users.*.create'], schedule: '', scheduleNext: '', schedulePrevious: '', timeout: 10, enabled: true, deployment: '', vars: [] });
    expect(fn.$createdAt).toMatch(/\+00:00$/);

    expect(await failure(functions.create('crud', 'Again', 'node-18.0', []))).toEqual({ code: 409, type: 'document_already_exists' });
    expect(await failure(functions.create('bad-runtime', 'X', 'cobol-1.0', []))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.create('php', 'X', 'php-8.0', []))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.create('bad-cron', 'X', 'node-18.0', [], [], '61 * * * *'))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.create('bad-cron2', 'X', 'node-18.0', [], [], '* * * * * *'))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.create('bad-timeout', 'X', 'node-18.0', [], [], '', 0))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.create('bad-timeout', 'X', 'node-18.0', [], [], '', 901))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.create('bad-event', 'X', 'node-18.0', [], ['nothing.*.happens']))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.create('bad-role', 'X', 'node-18.0', ['everyone']))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.get('missing'))).toEqual({ code: 404, type: 'function_not_found' });

    expect(await functions.get('crud')).toEqual(fn);
    const listed = await functions.list([sdk.Query.equal('runtime', 'node-18.0'), sdk.Query.equal('name', 'CRUD')]);
    expect(listed.total).toBe(1);
    expect(listed.functions[0].$id).toBe('crud');
    expect((await functions.list(undefined, 'CRUD')).functions.map((f) => f.$id)).toContain('crud');
    expect(await failure(functions.list([sdk.Query.equal('execute', 'any')]))).toEqual({ code: 400, type: 'general_argument_invalid' });

    const updated = await functions.update('crud', 'Renamed', ['users'], [], '*/5 * * * *', 20, false);
    expect(updated).toMatchObject({ name: 'Renamed', runtime: 'node-18.0', execute: ['users'], events: [], schedule: '*/5 * * * *', timeout: 20, enabled: false });
    const next = new Date(updated.scheduleNext);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getUTCMinutes() % 5).toBe(0);
    expect(await failure(functions.update('crud', 'X', [], [], 'not a cron'))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(functions.update('missing', 'X'))).toEqual({ code: 404, type: 'function_not_found' });

    await functions.delete('crud');
    expect(await failure(functions.get('crud'))).toEqual({ code: 404, type: 'function_not_found' });
    // Audited like 1.3 (worker-audits writes the entries).
    const db = await mariadb.createConnection({ host: process.env._APP_DB_HOST ?? '127.0.0.1', user: process.env._APP_DB_USER ?? 'root', password: process.env._APP_DB_PASS ?? '', database: process.env.APPCONDA_E2E_SCHEMA });
    try {
      const audited = await eventually(async () => {
        const rows = (await db.query('SELECT event, resource FROM audit WHERE _project = ? AND resource = ? ORDER BY time', [session.projectId, 'function/crud'])) as { event: string }[];
        return rows.length >= 3 ? rows : undefined;
      }, 'the function audit entries');
      expect(audited.map((row) => row.event)).toEqual(['function.create', 'function.update', 'function.delete']);
    } finally {
      await db.end();
    }
    expect(await failure(functions.delete('crud'))).toEqual({ code: 404, type: 'function_not_found' });
  });

  it('lists the runtimes _APP_FUNCTIONS_RUNTIMES allows, as Runtime models', async () => {
    const { total, runtimes } = await functions.listRuntimes();
    expect(runtimes.map((r) => r.$id)).toEqual(['node-16.0', 'node-18.0', 'python-3.9']);
    expect(total).toBe(3);
    expect(runtimes[1]).toEqual({ $id: 'node-18.0', name: 'Node.js', version: '18.0', base: 'node:18-alpine', image: 'openruntimes/node:v2-18.0', logo: 'node.png', supports: ['x86', 'arm'] });
  });

  it('manages variables with their 1.3 errors, and shows them in the function', async () => {
    await functions.create('vars', 'Vars', 'node-18.0', []);
    const variable = await functions.createVariable('vars', 'GREETING', 'hello');
    expect(variable).toMatchObject({ key: 'GREETING', value: 'hello', functionId: 'vars' });
    expect(await failure(functions.createVariable('vars', 'GREETING', 'again'))).toEqual({ code: 409, type: 'variable_already_exists' });
    expect(await failure(functions.createVariable('missing', 'A', 'b'))).toEqual({ code: 404, type: 'function_not_found' });
    const other = await functions.createVariable('vars', 'OTHER', '');
    expect((await functions.listVariables('vars')).total).toBe(2);
    expect(await functions.getVariable('vars', variable.$id)).toEqual(variable);
    expect(await failure(functions.getVariable('vars', 'missing'))).toEqual({ code: 404, type: 'variable_not_found' });
    expect(await failure(functions.updateVariable('vars', other.$id, 'GREETING'))).toEqual({ code: 409, type: 'variable_already_exists' });
    const renamed = await functions.updateVariable('vars', other.$id, 'RENAMED');
    expect(renamed).toMatchObject({ key: 'RENAMED', value: '' });
    expect((await functions.get('vars')).vars.map((v) => v.key)).toEqual(['GREETING', 'RENAMED']);
    await functions.deleteVariable('vars', other.$id);
    expect(await failure(functions.deleteVariable('vars', other.$id))).toEqual({ code: 404, type: 'variable_not_found' });
    expect((await functions.listVariables('vars')).variables.map((v) => v.key)).toEqual(['GREETING']);
  });

  it('builds a one-file deployment to ready and activates it; refuses non-gzip, misnamed and oversized uploads leaving nothing behind', async () => {
    const fn = await functions.create('deploy', 'Deploy', 'node-18.0', ['any']);
    const ready = await deploy(fn.$id, { 'index.js': ECHO });
    expect(ready).toMatchObject({ resourceId: 'deploy', resourceType: 'functions', entrypoint: 'index.js', activate: true, status: 'ready' });
    expect(ready.buildId).not.toBe('');
    expect(ready.size).toBeGreaterThan(0);
    expect((await functions.get(fn.$id)).deployment).toBe(ready.$id);
    expect((await functions.listDeployments(fn.$id)).deployments.map((d) => d.$id)).toEqual([ready.$id]);
    expect((await functions.listDeployments(fn.$id, [sdk.Query.equal('entrypoint', 'index.js')])).total).toBe(1);
    expect(await failure(functions.getDeployment(fn.$id, 'missing'))).toEqual({ code: 404, type: 'deployment_not_found' });
    expect(await failure(functions.createBuild(fn.$id, ready.$id, ready.buildId))).toEqual({ code: 400, type: 'build_in_progress' });

    const notGzip = path.join(path.dirname(await archive({ 'x.txt': 'x' })), 'fake.tar.gz');
    writeFileSync(notGzip, 'this is not gzip at all');
    expect(await failure(functions.createDeployment(fn.$id, 'index.js', sdk.InputFile.fromPath(notGzip, 'code.tar.gz'), false))).toEqual({ code: 400, type: 'storage_file_type_unsupported' });
    expect(await failure(functions.createDeployment(fn.$id, 'index.js', sdk.InputFile.fromBuffer(Buffer.from('zip'), 'code.zip'), false))).toEqual({ code: 400, type: 'storage_file_type_unsupported' });
    const oversized = await raw('POST', `/functions/${fn.$id}/deployments`, { 'x-appwrite-project': session.projectId, 'x-appwrite-key': session.key, 'content-range': 'bytes 0-9/999999999', 'content-type': 'multipart/form-data; boundary=x' });
    expect([oversized.status, oversized.body.type]).toEqual([400, 'storage_invalid_file_size']);

    const folder = path.join(storageRoot(), 'functions', `app-${session.projectId}`);
    const leftovers = existsSync(path.join(folder, 'tmp')) ? readdirSync(path.join(folder, 'tmp')) : [];
    expect(leftovers).toEqual([]);
    expect(readdirSync(folder).filter((name) => name.endsWith('.tar.gz'))).toEqual([`${ready.$id}.tar.gz`]);
    expect((await functions.listDeployments(fn.$id)).total).toBe(1);
  });

  it('takes a deployment larger than one 5 MiB chunk in chunks (Content-Range, x-appwrite-id) and builds it', async () => {
    const fn = await functions.create('chunked', 'Chunked', 'node-18.0', ['any']);
    const noise = randomBytes(6 * 1024 * 1024).toString('base64');
    const progress: { chunksUploaded: number; chunksTotal: number }[] = [];
    const file = await archive({ 'index.js': "const fs = require('fs');\nmodule.exports = async (req, res) => res.send(String(fs.statSync(__dirname + '/noise.txt').size));\n", 'noise.txt': noise });
    // node-appwrite 9 reports each chunk to a fifth argument its typings leave out.
    type Upload = (id: string, entrypoint: string, code: sdk.InputFile, activate: boolean, onProgress: (p: { chunksUploaded: number; chunksTotal: number }) => void) => Promise<Deployment>;
    const upload = functions.createDeployment.bind(functions) as unknown as Upload;
    const created = await upload(fn.$id, 'index.js', sdk.InputFile.fromPath(file, 'code.tar.gz'), true, (p) => progress.push(p));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toMatchObject({ chunksUploaded: progress.at(-1)!.chunksTotal });
    const built = await eventually(async () => {
      const deployment = await functions.getDeployment(fn.$id, created.$id);
      return deployment.status === 'ready' || deployment.status === 'failed' ? deployment : undefined;
    }, 'the chunked build', 60_000);
    expect(built.status).toBe('ready');
    expect(built.size).toBe(statSync(file).size);
    expect((await functions.createExecution(fn.$id)).response).toBe(String(Buffer.byteLength(noise)));
  });

  it('installs a package.json dependency in the build; a failed build keeps its stderr and can be retried', async () => {
    const fn = await functions.create('deps', 'Deps', 'node-18.0', ['any']);
    const ready = await deploy(fn.$id, WITH_DEPENDENCY);
    expect(ready.status).toBe('ready');
    const execution = await functions.createExecution(fn.$id, 'quiet', false);
    expect(execution).toMatchObject({ status: 'completed', statusCode: 200, response: 'QUIET!' });

    const escaping = await archive({ 'index.js': ECHO });
    const linked = path.join(path.dirname(escaping), 'linked');
    mkdirSync(linked);
    writeFileSync(path.join(linked, 'index.js'), ECHO);
    symlinkSync('/etc/passwd', path.join(linked, 'passwd'));
    const symlinked = path.join(path.dirname(escaping), 'symlinked.tar.gz');
    await tar.c({ gzip: true, file: symlinked, cwd: linked }, ['index.js', 'passwd']);
    const refused = await functions.createDeployment(fn.$id, 'index.js', sdk.InputFile.fromPath(symlinked, 'code.tar.gz'), false);
    const refusedBuild = await eventually(async () => {
      const deployment = await functions.getDeployment(fn.$id, refused.$id);
      return deployment.status === 'failed' || deployment.status === 'ready' ? deployment : undefined;
    }, 'the build of the escaping archive', 60_000);
    expect(refusedBuild.status).toBe('failed');
    expect(refusedBuild.buildStderr).toMatch(/passwd/);

    const broken = await deploy(fn.$id, { 'index.js': ECHO }, 'missing.js', false);
    expect(broken.status).toBe('failed');
    expect(broken.buildStderr).toMatch(/missing\.js/);
    await functions.createBuild(fn.$id, broken.$id, broken.buildId);
    const retried = await eventually(async () => {
      const deployment = await functions.getDeployment(fn.$id, broken.$id);
      return deployment.status === 'failed' && deployment.$updatedAt !== broken.$updatedAt ? deployment : undefined;
    }, 'the retried build');
    expect(retried.buildStderr).toMatch(/missing\.js/);
    expect(await failure(functions.updateDeployment(fn.$id, broken.$id))).toEqual({ code: 400, type: 'build_not_ready' });
    // The active deployment is still the ready one.
    expect((await functions.get(fn.$id)).deployment).toBe(ready.$id);
  });

  it('runs a sync execution with its payload, the function variables and APPWRITE_FUNCTION_*, and an async one to completed', async () => {
    const { fn, deployment } = await echoFunction('echo');
    await functions.createVariable(fn.$id, 'GREETING', 'hi there');
    await functions.createVariable(fn.$id, 'APPWRITE_FUNCTION_ID', 'spoofed');

    const execution = await functions.createExecution(fn.$id, '{"hello":"world"}', false);
    expect(execution).toMatchObject({ functionId: 'echo', trigger: 'http', status: 'completed', statusCode: 200, $permissions: [] });
    expect(execution.stdout).toContain('echo stdout {"hello":"world"}');
    expect(execution.stderr).toContain('echo stderr');
    expect(execution.duration).toBeGreaterThan(0);
    const answer = JSON.parse(execution.response) as { payload: string; variables: Record<string, string>; env: string };
    expect(answer.payload).toBe('{"hello":"world"}');
    expect(answer.env).toBe('hi there');
    expect(answer.variables).toMatchObject({
      GREETING: 'hi there',
      APPWRITE_FUNCTION_ID: 'echo',
      APPWRITE_FUNCTION_NAME: 'Fn echo',
      APPWRITE_FUNCTION_DEPLOYMENT: deployment.$id,
      APPWRITE_FUNCTION_PROJECT_ID: session.projectId,
      APPWRITE_FUNCTION_TRIGGER: 'http',
      APPWRITE_FUNCTION_RUNTIME_NAME: 'Node.js',
      APPWRITE_FUNCTION_RUNTIME_VERSION: '18.0',
      APPWRITE_FUNCTION_DATA: '{"hello":"world"}',
      APPWRITE_FUNCTION_USER_ID: '',
      APPWRITE_FUNCTION_JWT: '',
    });

    expect(await failure(functions.createExecution(fn.$id, 'x'.repeat(8193)))).toEqual({ code: 400, type: 'general_argument_invalid' });

    const queued = await functions.createExecution(fn.$id, 'later', true);
    expect(queued).toMatchObject({ status: 'waiting', statusCode: 0, response: '' });
    const finished = await eventually(async () => {
      const current = await functions.getExecution(fn.$id, queued.$id);
      return current.status === 'completed' ? current : undefined;
    }, 'the async execution');
    expect(JSON.parse(finished.response).payload).toBe('later');
    expect(await failure(functions.getExecution(fn.$id, 'missing'))).toEqual({ code: 404, type: 'execution_not_found' });
    const completed = await functions.listExecutions(fn.$id, [sdk.Query.equal('status', 'completed'), sdk.Query.equal('trigger', 'http')]);
    expect(completed.executions.map((e) => e.$id).sort()).toEqual([execution.$id, queued.$id].sort());
  });

  it("runs as a signed-in user (user id and a JWT set, logs hidden), refuses callers outside `execute`, and needs a deployment", async () => {
    await echoFunction('for-users', ['users']);
    await echoFunction('keys-only', []);
    await functions.create('undeployed', 'Undeployed', 'node-18.0', ['any']);
    const user = await signedInUser(session.projectId, 'executor');
    const userFunctions = new web.Functions(user.client);

    const execution = await userFunctions.createExecution('for-users', 'from a user');
    expect(execution).toMatchObject({ status: 'completed', stdout: '', stderr: '', $permissions: [`read("user:${user.userId}")`] });
    const variables = JSON.parse(execution.response).variables as Record<string, string>;
    expect(variables.APPWRITE_FUNCTION_USER_ID).toBe(user.userId);
    const [, claims] = variables.APPWRITE_FUNCTION_JWT.split('.');
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toMatchObject({ userId: user.userId, sessionId: user.sessionId });
    // The JWT works as the user against the API.
    const me = await raw('GET', '/account', { 'x-appwrite-project': session.projectId, 'x-appwrite-jwt': variables.APPWRITE_FUNCTION_JWT });
    expect(me.body.$id).toBe(user.userId);

    expect((await userFunctions.getExecution('for-users', execution.$id)).stdout).toBe('');
    expect((await functions.getExecution('for-users', execution.$id)).stdout).toContain('from a user');
    expect((await userFunctions.listExecutions('for-users')).executions.map((e) => e.$id)).toEqual([execution.$id]);
    await functions.createExecution('for-users', 'by the key');
    expect((await userFunctions.listExecutions('for-users')).total).toBe(1);

    expect(await failure(userFunctions.createExecution('keys-only'))).toEqual({ code: 401, type: 'user_unauthorized' });

    // 60 executions per 60 s per IP and user: the 61st call of another user is refused.
    const busy = await signedInUser(session.projectId, 'busy');
    const busyFunctions = new web.Functions(busy.client);
    for (let call = 0; call < 60; call++) await busyFunctions.createExecution('undeployed').catch(() => undefined);
    expect(await failure(busyFunctions.createExecution('undeployed'))).toEqual({ code: 429, type: 'general_rate_limit_exceeded' });
    expect(await failure(userFunctions.createExecution('undeployed'))).toEqual({ code: 404, type: 'deployment_not_found' });
    expect(await failure(functions.createExecution('undeployed'))).toEqual({ code: 404, type: 'deployment_not_found' });
    expect(await failure(functions.createExecution('missing'))).toEqual({ code: 404, type: 'function_not_found' });
    expect(await failure(userFunctions.listExecutions('missing'))).toEqual({ code: 404, type: 'function_not_found' });
  });

  it('fails an execution that outlives its timeout, and one answering res.send(x, 500)', async () => {
    const sleeper = await functions.create('sleeper', 'Sleeper', 'node-18.0', ['any'], [], '', 1);
    expect((await deploy(sleeper.$id, { 'index.js': SLEEPER })).status).toBe('ready');
    const started = Date.now();
    const slow = await functions.createExecution(sleeper.$id, '5000');
    expect(Date.now() - started).toBeLessThan(4500);
    expect(slow).toMatchObject({ status: 'failed', statusCode: 500 });
    expect(slow.stderr.toLowerCase()).toContain('timed out');

    const status = await functions.create('status', 'Status', 'node-18.0', ['any']);
    expect((await deploy(status.$id, { 'index.js': STATUS })).status).toBe('ready');
    expect(await functions.createExecution(status.$id, JSON.stringify({ status: 500, text: 'broken' }))).toMatchObject({ status: 'failed', statusCode: 500, response: 'broken' });
    expect(await functions.createExecution(status.$id, JSON.stringify({ status: 404, text: 'nope' }))).toMatchObject({ status: 'completed', statusCode: 404, response: 'nope' });
  });

  it('runs a function subscribed to document creates once per created document, with the event and its data', async () => {
    await echoFunction('on-document', [], { events: ['databases.*.collections.*.documents.*.create'] });
    const databases = new sdk.Databases(keyClient(session.projectId, session.key));
    await databases.create('events', 'Events');
    await databases.createCollection('events', 'notes', 'Notes', [sdk.Permission.read(sdk.Role.any())]);
    await databases.createStringAttribute('events', 'notes', 'text', 32, false);
    await eventually(async () => ((await databases.getAttribute('events', 'notes', 'text')) as { status: string }).status === 'available' || undefined, 'the attribute');
    await databases.createDocument('events', 'notes', 'n1', { text: 'hello' });

    const execution = await eventually(async () => {
      const { executions } = await functions.listExecutions('on-document', [sdk.Query.equal('trigger', 'event')]);
      return executions.find((e) => e.status === 'completed');
    }, 'the event-triggered execution');
    const variables = JSON.parse(execution.response).variables as Record<string, string>;
    expect(variables.APPWRITE_FUNCTION_TRIGGER).toBe('event');
    expect(variables.APPWRITE_FUNCTION_EVENT).toBe('databases.events.collections.notes.documents.n1.create');
    expect(JSON.parse(variables.APPWRITE_FUNCTION_EVENT_DATA)).toMatchObject({ $id: 'n1', text: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await functions.listExecutions('on-document', [sdk.Query.equal('trigger', 'event')])).total).toBe(1);
  });

  it('runs a `* * * * *` schedule within a minute, once per tick, and keeps scheduleNext/schedulePrevious right', async () => {
    await echoFunction('cron', [], { schedule: '* * * * *' });
    const execution = await eventually(
      async () => (await functions.listExecutions('cron', [sdk.Query.equal('trigger', 'schedule')])).executions.find((e: Execution) => e.status === 'completed'),
      'the scheduled execution',
      75_000,
    );
    expect(JSON.parse(execution.response).variables.APPWRITE_FUNCTION_TRIGGER).toBe('schedule');
    const fn = await functions.get('cron');
    const previous = new Date(fn.schedulePrevious);
    expect(previous.getUTCSeconds()).toBe(0);
    expect(new Date(fn.scheduleNext).getTime() - previous.getTime()).toBe(60_000);
    expect((await functions.listExecutions('cron', [sdk.Query.equal('trigger', 'schedule')])).total).toBe(1);
    await functions.update('cron', 'Fn cron', [], [], '');
  }, 90_000);

  it("delivers the functions' events to webhooks: the api's creates, worker-builds' deployment updates, worker-functions' execution updates", async () => {
    const deliveries: { events: string[]; body: Record<string, unknown> }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        deliveries.push({ events: String(req.headers['x-appwrite-webhook-events']).split(','), body: JSON.parse(Buffer.concat(chunks).toString() || '{}') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
      const hook = await session.call('POST', `/projects/${session.projectId}/webhooks`, { name: 'Functions', events: ['functions.*.create', 'functions.*.deployments.*.update', 'functions.*.executions.*.update'], url, security: false });
      expect(hook.status).toBe(201);
      // Other processes (the workers) see a new webhook once their 2 s webhook cache expires (WEBHOOK_CACHE_TTL_MS).
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const { deployment } = await echoFunction('hooked');
      const queued = await functions.createExecution('hooked', 'via hook', true);
      const delivered = (name: string) => eventually(async () => deliveries.find((d) => d.events.includes(name)), name);
      expect((await delivered('functions.hooked.create')).body).toMatchObject({ $id: 'hooked', runtime: 'node-18.0' });
      const built = await eventually(async () => deliveries.find((d) => d.events.includes(`functions.hooked.deployments.${deployment.$id}.update`) && d.body.status === 'ready'), 'the ready deployment update');
      expect(built.body).toMatchObject({ $id: deployment.$id, resourceId: 'hooked', status: 'ready' });
      const executed = await delivered(`functions.hooked.executions.${queued.$id}.update`);
      expect(executed.body).toMatchObject({ $id: queued.$id, status: 'completed', trigger: 'http' });
      expect(executed.events).toEqual(expect.arrayContaining(['functions.*.executions.*.update', `functions.hooked.executions.${queued.$id}`]));
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('counts executions and builds in the usage routes (project and function)', async () => {
    const admin = (p: string) => fetch(`${session.endpoint}${p}`, { headers: { cookie: session.cookie, 'x-appwrite-project': session.projectId, 'x-appwrite-mode': 'admin' } }).then((r) => r.json() as Promise<Record<string, { value: number }[]>>);
    const sum = (series: { value: number }[]) => series.reduce((total, point) => total + point.value, 0);
    const project = await eventually(async () => {
      const usage = await admin('/functions/usage?range=24h');
      return sum(usage.executionsTotal) >= 5 && sum(usage.buildsTotal) >= 5 && sum(usage.buildsFailure) >= 1 ? usage : undefined;
    }, 'the functions usage', 30_000);
    expect(sum(project.executionsFailure)).toBeGreaterThanOrEqual(2);
    expect(sum(project.executionsTime)).toBeGreaterThan(0);
    expect(project.executionsTotal).toHaveLength(24);
    const echo = await eventually(async () => {
      const usage = await admin('/functions/echo/usage?range=7d');
      return sum(usage.executionsTotal) === 2 ? usage : undefined;
    }, 'the function usage', 30_000);
    expect(sum(echo.executionsSuccess)).toBe(2);
    expect(sum(echo.buildsTotal)).toBe(1);
    const projectUsage = await eventually(async () => {
      const res = await session.call<{ executions: { value: number }[] }>('GET', `/projects/${session.projectId}/usage?range=24h`);
      return sum(res.body.executions ?? []) >= 5 ? res.body : undefined;
    }, 'the project usage executions');
    expect(sum(projectUsage.executions)).toBeGreaterThanOrEqual(5);
    expect((await admin('/functions/missing/usage')).type).toBe('function_not_found');
  });

  it('deletes a function with its deployments, code and executions', async () => {
    const { deployment } = await echoFunction('doomed');
    await functions.createExecution('doomed', 'bye');
    const code = path.join(storageRoot(), 'functions', `app-${session.projectId}`, `${deployment.$id}.tar.gz`);
    expect(existsSync(code)).toBe(true);
    await functions.delete('doomed');
    await eventually(async () => !existsSync(code), 'the deleted code');
    await functions.create('doomed', 'Reborn', 'node-18.0', []);
    expect((await functions.listDeployments('doomed')).total).toBe(0);
    expect((await functions.listExecutions('doomed')).total).toBe(0);
  });
});
