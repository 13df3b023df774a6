import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bull';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { AuditRepository, MembershipRepository, ProjectRepository, TeamRepository, UserRepository } from '@appconda/database';
import { JobQueue, jobHandlerToken, jobQueueToken, JobTypeDispatcher } from '@appconda/queue';
import { createTestDatabase, deleteRedisKeys, ProjectFactory, TestDatabase, testRedisPrefix, UserFactory } from '@appconda/testing';
import Redis from 'ioredis';

import { WorkerDeletesModule } from './worker-deletes.module';

// Real MariaDB, Redis and Bull on a shared 2-core machine: give each case room beyond jest's 5 s default.
jest.setTimeout(30_000);

describe('WorkerDeletesModule (real MariaDB/Redis/Bull)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let prefix: string;
  let root: string;
  const saved = { ...process.env };

  async function run(payload: DeleteJob): Promise<unknown> {
    const id = await app.get<JobQueue<QueueName.Deletes>>(jobQueueToken(QueueName.Deletes)).add(payload, { attempts: 1 });
    const job = await app.get<Queue>(getQueueToken(QueueName.Deletes)).getJob(id);
    return job!.finished();
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    root = mkdtempSync(join(tmpdir(), 'appconda-wd-'));
    Object.assign(process.env, db.env, { _APP_REDIS_PREFIX: prefix, _APP_STORAGE_ROOT: root, _APP_STORAGE_DEVICE: 'local' });
    resetAppConfig();
    // As bootstrapService composes it: ConfigModule plus the app's module.
    @Module({ imports: [ConfigModule, WorkerDeletesModule] })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
    await deleteRedisKeys(redis, prefix);
    await redis.quit();
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
    process.env = saved;
    resetAppConfig();
  });

  it('boots with a handler for every capability type (several handlers per type allowed)', () => {
    const dispatcher = app.get<JobTypeDispatcher<QueueName.Deletes>>(jobHandlerToken(QueueName.Deletes));
    expect(dispatcher.types).toEqual(
      expect.arrayContaining([
        DeleteJobType.Abuse,
        DeleteJobType.Audit,
        DeleteJobType.Buckets,
        DeleteJobType.CacheByTimestamp,
        DeleteJobType.Projects,
        DeleteJobType.Sessions,
        DeleteJobType.Teams,
        DeleteJobType.Users,
      ]),
    );
  });

  it('runs retention and cascade jobs end to end through the app\'s processor', async () => {
    const project = await ProjectFactory.from({ name: 'wd' }).create(app.get(ProjectRepository));
    const audits = app.get(AuditRepository);
    await audits.insert(project.uid, { id: 'old', event: 'users.create', time: new Date(Date.now() - 30 * 86_400_000) });
    await audits.insert(project.uid, { id: 'new', event: 'users.create' });
    expect(await run({ type: DeleteJobType.Audit, datetime: new Date(Date.now() - 86_400_000).toISOString() })).toMatchObject({ deleted: 1 });
    expect((await audits.list(project.uid)).map((row) => row.uid)).toEqual(['new']);

    const user = await UserFactory.from({}).create(app.get(UserRepository), project.uid);
    const team = await app.get(TeamRepository).create(project.uid, { uid: 'wd-team', name: 'T', total: 1, prefs: {} });
    const memberships = app.get(MembershipRepository);
    await memberships.create(project.uid, { uid: 'wd-m', userInternalId: user.internalId, userId: user.uid, teamInternalId: team.internalId, teamId: team.uid, roles: [], confirm: true, secret: '' });
    await app.get(TeamRepository).delete(project.uid, team.uid);
    expect(await run({ type: DeleteJobType.Teams, projectId: project.uid, document: { $id: team.uid, $internalId: team.internalId } })).toEqual({ memberships: 1 });
    expect(await memberships.count(project.uid)).toBe(0);
  });
});
