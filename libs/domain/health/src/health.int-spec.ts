import { Global, Module } from '@nestjs/common';
import { createTestApi, TestApi } from '@appconda/testing';
import { createSocket, Socket } from 'node:dgram';
import Queue from 'bull';
import * as sdk from 'node-appwrite';

import { HealthApiModule } from './health.module';
import { HEALTH_OPTIONS } from './health.service';

/** A loopback SNTP server answering with the local clock. */
async function sntpServer(): Promise<Socket> {
  const server = createSocket('udp4');
  server.on('message', (_message, remote) => {
    const answer = Buffer.alloc(48);
    answer[0] = (4 << 3) | 4;
    const now = Date.now();
    answer.writeUInt32BE(Math.floor(now / 1000) + 2208988800, 40);
    answer.writeUInt32BE(Math.floor(((now % 1000) / 1000) * 2 ** 32), 44);
    server.send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', () => resolve()));
  return server;
}

describe('health service (real MariaDB, Redis, Bull)', () => {
  let api: TestApi;
  let ntp: Socket;
  let health: sdk.Health;
  let projectId: string;

  beforeAll(async () => {
    ntp = await sntpServer();
    @Global()
    @Module({ providers: [{ provide: HEALTH_OPTIONS, useValue: { ntpHost: '127.0.0.1', ntpPort: ntp.address().port } }], exports: [HEALTH_OPTIONS] })
    class NtpOverride {}
    api = await createTestApi([NtpOverride, HealthApiModule], { env: { _APP_STORAGE_ROOT: `/tmp/appconda-health-${process.pid}` } });
    const seeded = await api.seedProject(['users.read']);
    projectId = seeded.projectId;
    health = new sdk.Health(new sdk.Client().setEndpoint(api.endpoint).setProject(projectId).setKey(seeded.key));
  });

  afterAll(async () => {
    await api?.close();
    ntp?.close();
  });

  it('answers every 1.3 health route for an API key (apps role holds health.read)', async () => {
    expect(await health.get()).toEqual({ ping: expect.any(Number), status: 'pass' });
    expect(await health.getDB()).toEqual({ ping: expect.any(Number), status: 'pass' });
    expect(await health.getCache()).toEqual({ ping: expect.any(Number), status: 'pass' });
    expect(await health.getStorageLocal()).toEqual({ ping: expect.any(Number), status: 'pass' });
    expect(await health.getAntivirus()).toEqual({ version: '', status: 'disabled' });
    const time = await health.getTime();
    expect(Math.abs(time.diff)).toBeLessThan(1000);
    expect(Math.abs(time.localTime - Date.now() / 1000)).toBeLessThan(5);
    for (const queue of [health.getQueueWebhooks(), health.getQueueLogs(), health.getQueueCertificates(), health.getQueueFunctions()]) {
      expect(await queue).toEqual({ size: expect.any(Number) });
    }
  });

  it('reports real queue sizes from Bull', async () => {
    const res = await fetch(`${api.endpoint}/health/queue/mails`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': 'wrong' } });
    expect(res.status).toBe(401);
    const queue = new Queue('v1-webhooks', { prefix: api.redisPrefix, redis: { host: '127.0.0.1', port: 6379 } });
    const before = (await health.getQueueWebhooks()).size;
    await queue.add({ probe: true });
    expect((await health.getQueueWebhooks()).size).toBe(before + 1);
    await queue.close();
  });

  it('refuses callers without health.read with 401 general_unauthorized_scope', async () => {
    const guest = new sdk.Health(new sdk.Client().setEndpoint(api.endpoint).setProject(projectId));
    await expect(guest.get()).rejects.toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    const unknownKey = new sdk.Health(new sdk.Client().setEndpoint(api.endpoint).setProject(projectId).setKey('not-a-key'));
    await expect(unknownKey.getDB()).rejects.toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
  });

  it('serves liveness and readiness without authentication', async () => {
    const version = await fetch(`${api.endpoint}/health/version`);
    expect(await version.json()).toEqual({ version: '1.3.8' });
    const ready = await fetch(`${api.endpoint}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'pass', db: { status: 'pass' }, cache: { status: 'pass' } });
  });

  it('answers unknown projects with 404 project_not_found', async () => {
    const other = new sdk.Health(new sdk.Client().setEndpoint(api.endpoint).setProject('nope').setKey('x'));
    await expect(other.get()).rejects.toMatchObject({ code: 404, type: 'project_not_found' });
  });
});
