import { randomBytes } from 'node:crypto';

import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { eventually, failure, keyClient, signedInUser } from '../../support/identity-clients';

// Health against `appconda all`: every 1.3 health endpoint with the project's API key (node SDK),
// the queue sizes (1.3's four plus Appconda's other workers), the public version/ready probes, and
// who is refused.

const QUEUES_13 = ['webhooks', 'logs', 'certificates', 'functions'];
const QUEUES_APPCONDA = ['deletes', 'databases', 'builds', 'mails', 'messaging'];

describe('health (appconda all)', () => {
  let consoleSession: ConsoleSession;
  let health: sdk.Health;
  const get = (route: string, headers: Record<string, string>) =>
    fetch(`${consoleSession.endpoint}${route}`, { headers: { 'x-appwrite-project': consoleSession.projectId, ...headers } });

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('health');
    health = new sdk.Health(keyClient(consoleSession.projectId, consoleSession.key));
  });

  it('reports the API, MariaDB, Redis and the local volumes passing', async () => {
    expect(await health.get()).toEqual({ status: 'pass', ping: expect.any(Number) });
    for (const status of [await health.getDB(), await health.getCache(), await health.getStorageLocal()]) {
      expect(status).toEqual({ status: 'pass', ping: expect.any(Number) });
      expect(status.ping).toBeGreaterThanOrEqual(0);
      expect(status.ping).toBeLessThan(5000);
    }
  });

  it('reports the antivirus disabled (the e2e deployment runs without clamd)', async () => {
    expect(await health.getAntivirus()).toEqual({ status: 'disabled', version: '' });
  });

  it('answers the time check with the 1.3 model, or fails fast with a server error when no time server is reachable', async () => {
    const started = Date.now();
    try {
      const time = await health.getTime();
      expect(time).toEqual({ remoteTime: expect.any(Number), localTime: expect.any(Number), diff: expect.any(Number) });
      expect(Math.abs(time.localTime - Date.now() / 1000)).toBeLessThan(60);
      expect(Math.abs(time.diff)).toBeLessThan(20_000);
    } catch (error) {
      // This sandbox has no route to time.google.com: 1.3 answers that with a 500 as well.
      expect(error).toMatchObject({ code: 500, type: 'general_server_error' });
      expect((error as Error).message).toMatch(/time server/i);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it.each(QUEUES_13)('queue/%s (1.3) answers its size through the node SDK', async (queue) => {
    const method = { webhooks: 'getQueueWebhooks', logs: 'getQueueLogs', certificates: 'getQueueCertificates', functions: 'getQueueFunctions' }[
      queue
    ] as 'getQueueLogs';
    const { size } = await health[method]();
    expect(Number.isInteger(size) && size >= 0).toBe(true);
  });

  it.each(QUEUES_APPCONDA)('queue/%s (Appconda addition) answers its size', async (queue) => {
    const res = await get(`/health/queue/${queue}`, { 'x-appwrite-key': consoleSession.key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { size: number };
    expect(Object.keys(body)).toEqual(['size']);
    expect(Number.isInteger(body.size) && body.size >= 0).toBe(true);
  });

  it('the logs queue drains after a burst of audited calls (worker-audits consumes it)', async () => {
    const users = new sdk.Users(keyClient(consoleSession.projectId, consoleSession.key));
    await Promise.all(
      Array.from({ length: 20 }, () => users.create(sdk.ID.unique(), `burst-${randomBytes(4).toString('hex')}@example.test`, undefined, 'password1234')),
    );
    await eventually(async () => (await health.getQueueLogs()).size === 0, 'the audits queue to drain', 20_000);
  });

  it('serves version and readiness publicly', async () => {
    const version = await fetch(`${consoleSession.endpoint}/health/version`);
    expect(version.status).toBe(200);
    expect(await version.json()).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const ready = await fetch(`${consoleSession.endpoint}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'pass', db: { status: 'pass' }, cache: { status: 'pass' } });
  });

  it('refuses guests, signed-in users and another project’s key; any key of the project reads health (1.3 apps role)', async () => {
    const routes = [
      '/health',
      '/health/db',
      '/health/cache',
      '/health/time',
      '/health/storage/local',
      '/health/anti-virus',
      ...[...QUEUES_13, ...QUEUES_APPCONDA].map((q) => `/health/queue/${q}`),
    ];
    for (const route of routes) {
      const res = await get(route, {});
      expect([route, res.status, ((await res.json()) as { type: string }).type]).toEqual([route, 401, 'general_unauthorized_scope']);
    }

    const user = await signedInUser(consoleSession.projectId, 'healthy');
    const asUser = await get('/health/db', { 'x-fallback-cookies': user.store.get('cookieFallback')! });
    expect([asUser.status, ((await asUser.json()) as { type: string }).type]).toEqual([401, 'general_unauthorized_scope']);

    const narrow = await consoleSession.call<{ secret: string }>('POST', `/projects/${consoleSession.projectId}/keys`, {
      name: 'users only',
      scopes: ['users.read'],
    });
    expect(narrow.status).toBe(201);
    const narrowHealth = new sdk.Health(keyClient(consoleSession.projectId, narrow.body.secret));
    // 1.3's `apps` role grants health.read to every key, whatever scopes it was given.
    expect(await narrowHealth.getDB()).toMatchObject({ status: 'pass' });
    expect(await narrowHealth.getQueueLogs()).toEqual({ size: expect.any(Number) });
    expect(
      await failure(new sdk.Users(keyClient(consoleSession.projectId, narrow.body.secret)).create(sdk.ID.unique(), undefined, undefined, undefined)),
    ).toEqual({ code: 401, type: 'general_unauthorized_scope' });

    const other = await bootstrapConsole('health-other');
    const crossed = new sdk.Health(keyClient(consoleSession.projectId, other.key));
    expect(await failure(crossed.getDB())).toMatchObject({ code: 401 });
  });
});
