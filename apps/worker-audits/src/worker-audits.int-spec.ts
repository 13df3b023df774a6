import { randomBytes } from 'node:crypto';

import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bull';
import Redis from 'ioredis';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { AuditEntry, QueueName } from '@appconda/contracts';
import { AuditRepository, ProjectRepository } from '@appconda/database';
import { JobQueue, jobQueueToken, QueueModule } from '@appconda/queue';
import { createTestDatabase, ProjectFactory, TestDatabase } from '@appconda/testing';

import { deleteKeys } from '../../../libs/queue/test/redis-keys';
import { AuditsProcessor } from './audits.processor';
import { WorkerAuditsModule } from './worker-audits.module';

const PREFIX = `appconda_t_${randomBytes(4).toString('hex')}`;
const ENV_KEYS = ['_APP_REDIS_PREFIX', '_APP_DB_SCHEMA'];
const saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
const open: INestApplicationContext[] = [];
let db: TestDatabase;

async function start(module: Type | ReturnType<typeof QueueModule.forProducer>): Promise<INestApplicationContext> {
  @Module({ imports: [ConfigModule, module] })
  class Root {}
  const app = await Test.createTestingModule({ imports: [Root] }).compile();
  open.push(app);
  await app.init();
  return app;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  await redis.connect();
  db = await createTestDatabase();
  Object.assign(process.env, { _APP_REDIS_PREFIX: PREFIX, ...db.env });
  resetAppConfig();
});

afterAll(async () => {
  for (const app of open.splice(0).reverse()) await app.close();
  await db?.drop();
  await deleteKeys(redis, PREFIX);
  await redis.quit();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetAppConfig();
});

describe('worker-audits (real Redis and MariaDB)', () => {
  it('writes an enqueued batch as rows of the audit table, once even when the job is retried', async () => {
    const api = await start(QueueModule.forProducer(QueueName.Audits));
    const worker = await start(WorkerAuditsModule);
    // Entries are written only for projects that still exist; p3's are dropped (its project is gone).
    for (const uid of ['p1', 'p2']) await ProjectFactory.from({ uid }).create(worker.get(ProjectRepository));
    const entry: AuditEntry = {
      id: 'entry-1',
      data: { $id: 'u1', name: 'Ada' },
      event: 'users.create',
      ip: '203.0.113.7',
      mode: 'admin',
      projectId: 'p1',
      resource: 'user/u1',
      time: '2026-01-02T03:04:05.678Z',
      userAgent: 'node-appwrite/9.0.0',
      userEmail: 'ada@example.com',
      userId: 'admin1',
      userName: 'Ada',
    };
    const second: AuditEntry = { ...entry, id: 'entry-2', projectId: 'p2', event: 'users.update', time: '2026-01-02T03:04:06.000Z' };
    const malformed = { ...entry, id: 'entry-3', mode: 'root' } as unknown as AuditEntry;
    const orphan: AuditEntry = { ...entry, id: 'entry-4', projectId: 'p3' };
    const jobId = await api.get<JobQueue<QueueName.Audits>>(jobQueueToken(QueueName.Audits)).add({ entries: [entry, second, malformed, orphan] });
    const job = await api.get<Queue>(getQueueToken(QueueName.Audits)).getJob(jobId);
    await waitFor(async () => ((await job!.getState()) === 'completed' ? true : undefined));

    const audits = worker.get(AuditRepository);
    const rows = await audits.listByResource('p1', 'user/u1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event: 'users.create', ip: '203.0.113.7', mode: 'admin', userAgent: 'node-appwrite/9.0.0', userEmail: 'ada@example.com', userId: 'admin1', userName: 'Ada' });
    expect(new Date(rows[0].time).toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(rows[0].data).toEqual({ $id: 'u1', name: 'Ada' });
    expect(await audits.countByResource('other-project', 'user/u1')).toBe(0);
    // Entries of several projects share a batch; a malformed entry is skipped, not retried.
    expect((await audits.listByResource('p2', 'user/u1')).map((row) => row.event)).toEqual(['users.update']);
    expect(await job!.finished()).toEqual({ written: 2 });
    expect(await audits.countByResource('p3', 'user/u1')).toBe(0);

    // A retry of the same job (e.g. after a crash between the insert and Bull's ack) adds no second row.
    await worker.get(AuditsProcessor).process(job!);
    expect(await audits.countByResource('p1', 'user/u1')).toBe(1);
    expect(await audits.countByResource('p2', 'user/u1')).toBe(1);
  }, 30_000);
});
