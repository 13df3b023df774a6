import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken, Process, Processor } from '@nestjs/bull';
import { INestApplicationContext, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue } from 'bull';
import type Redis from 'ioredis';
import { AppConfig, ConfigModule, resetAppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import {
  AuditRepository,
  DatabaseModule,
  ExecutionRepository,
  FileRepository,
  MembershipRepository,
  ProjectRepository,
  SessionRepository,
  StatsRepository,
  TeamRepository,
  TokenRepository,
  UserEntity,
  UserRepository,
} from '@appconda/database';
import { JobHandler, jobHandlerToken, JobQueue, jobQueueToken, QueueModule, QueueProcessor } from '@appconda/queue';
import { createTestDatabase, deleteRedisKeys, ProjectFactory, TestDatabase, testRedisPrefix, UserFactory } from '@appconda/testing';
import { REDIS } from '@appconda/transport';

import { MaintenanceDeletesModule } from './maintenance-deletes.module';

/** The same thin adapter apps/worker-deletes has (apps cannot be imported from a lib). */
@Processor(QueueName.Deletes)
class TestDeletesProcessor extends QueueProcessor<QueueName.Deletes> {
  constructor(@Inject(jobHandlerToken(QueueName.Deletes)) handler: JobHandler<QueueName.Deletes>) {
    super(QueueName.Deletes, handler);
  }

  @Process()
  process(job: Job<DeleteJob>): Promise<unknown> {
    return this.run(job);
  }
}

@Module({
  imports: [ConfigModule, DatabaseModule.forRoot(), QueueModule.forWorker(QueueName.Deletes, { dispatchByType: true }), MaintenanceDeletesModule],
  providers: [TestDeletesProcessor],
})
class TestWorkerModule {}

const HOUR = 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms);

// Real MariaDB, Redis and Bull on a shared 2-core machine: give each case room beyond jest's 5 s default.
jest.setTimeout(30_000);

describe('Maintenance deletes handlers through Bull (real MariaDB/Redis)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let prefix: string;
  let root: string;
  let p1: string;
  let p2: string;
  const saved = { ...process.env };

  /** Enqueues one job and resolves its result once the worker finished it. */
  async function run(payload: DeleteJob): Promise<Record<string, unknown>> {
    const queue = app.get<JobQueue<QueueName.Deletes>>(jobQueueToken(QueueName.Deletes));
    const id = await queue.add(payload, { attempts: 1, jobId: `t.${Math.random().toString(36).slice(2)}` });
    const job = await app.get<Queue>(getQueueToken(QueueName.Deletes)).getJob(id);
    return (await job!.finished()) as Record<string, unknown>;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    root = mkdtempSync(join(tmpdir(), 'appconda-maint-'));
    Object.assign(process.env, db.env, { _APP_REDIS_PREFIX: prefix, _APP_STORAGE_ROOT: root, _APP_STORAGE_DEVICE: 'local' });
    resetAppConfig();
    app = await NestFactory.createApplicationContext(TestWorkerModule, { logger: false });
    await app.init();
    const projects = app.get(ProjectRepository);
    p1 = (await ProjectFactory.from({ name: 'one' }).create(projects)).uid;
    p2 = (await ProjectFactory.from({ name: 'two' }).create(projects)).uid;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    const { default: IORedis } = await import('ioredis');
    const redis = new IORedis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
    await deleteRedisKeys(redis, prefix);
    await redis.quit();
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
    process.env = saved;
    resetAppConfig();
  });

  it('audit: deletes every project entry older than the cut-off (console included), keeps the rest; a retry deletes nothing', async () => {
    const audits = app.get(AuditRepository);
    for (const projectId of ['console', p1, p2]) {
      await audits.insert(projectId, { id: `old-${projectId}`, event: 'users.create', time: ago(30 * 24 * HOUR) });
      await audits.insert(projectId, { id: `new-${projectId}`, event: 'users.create', time: ago(HOUR) });
    }
    const datetime = ago(14 * 24 * HOUR).toISOString();

    expect(await run({ type: DeleteJobType.Audit, datetime, projectId: p1 })).toEqual({ deleted: 1, projects: 1 });
    expect(await audits.count(p2)).toBe(2);

    expect(await run({ type: DeleteJobType.Audit, datetime })).toMatchObject({ deleted: 2 });
    for (const projectId of ['console', p1, p2]) {
      expect((await audits.list(projectId)).map((row) => row.uid)).toEqual([`new-${projectId}`]);
    }
    expect(await run({ type: DeleteJobType.Audit, datetime })).toMatchObject({ deleted: 0 });
  });

  it('executions: deletes every project\'s executions created before the cut-off, keeps newer ones; a retry deletes nothing', async () => {
    const executions = app.get(ExecutionRepository);
    const row = (uid: string) => ({ uid, functionInternalId: '1', functionId: 'f1', trigger: 'http', status: 'completed' as const, statusCode: 200, response: '', stdout: '', stderr: '', duration: 0 });
    for (const projectId of [p1, p2]) {
      await executions.create(projectId, row('old'));
      await executions.create(projectId, row('new'));
    }
    await db.pool.query("UPDATE executions SET _createdAt = ? WHERE _uid = 'old'", [ago(30 * 24 * HOUR)]);
    const datetime = ago(14 * 24 * HOUR).toISOString();

    expect(await run({ type: DeleteJobType.Executions, datetime })).toMatchObject({ deleted: 2 });
    for (const projectId of [p1, p2]) expect((await executions.list(projectId)).map((e) => e.uid)).toEqual(['new']);
    expect(await run({ type: DeleteJobType.Executions, datetime })).toMatchObject({ deleted: 0 });
  });

  it('audit: a job without a valid cut-off fails instead of sweeping everything', async () => {
    await app.get(AuditRepository).insert(p2, { id: 'kept-by-bad-job', event: 'users.create', time: ago(1000 * 24 * HOUR) });
    await expect(run({ type: DeleteJobType.Audit, datetime: 'yesterday' })).rejects.toThrow(/valid datetime/);
    expect(await app.get(AuditRepository).findByUid(p2, 'kept-by-bad-job')).not.toBeNull();
  });

  it('usageStats: deletes every project\'s hourly stats rows older than the cut-off, keeps daily ones and newer hours; a retry deletes nothing', async () => {
    const stats = app.get(StatsRepository);
    const hour = (at: Date) => new Date(Math.floor(at.getTime() / HOUR) * HOUR);
    const old = hour(ago(101 * 24 * HOUR));
    const recent = hour(ago(2 * HOUR));
    const row = (projectId: string, period: '1h' | '1d', time: Date) => ({ projectId, metric: 'requests', period, time, value: 1 });
    await stats.upsert([p1, p2].flatMap((projectId) => [row(projectId, '1h', old), row(projectId, '1h', recent), row(projectId, '1d', old)]));
    const datetime = ago(100 * 24 * HOUR).toISOString();

    expect(await run({ type: DeleteJobType.UsageStats, datetime })).toMatchObject({ deleted: 2 });
    for (const projectId of [p1, p2]) {
      expect((await stats.series(projectId, ['requests'], '1h', old)).map((stat) => stat.time)).toEqual([recent]);
      expect((await stats.series(projectId, ['requests'], '1d', old)).map((stat) => stat.time)).toEqual([old]);
    }
    expect(await run({ type: DeleteJobType.UsageStats, datetime })).toMatchObject({ deleted: 0 });
  });

  it('sessions: deletes expired sessions and tokens of every project, keeps live and non-expiring ones; idempotent', async () => {
    const sessions = app.get(SessionRepository);
    const tokens = app.get(TokenRepository);
    const seed = async (projectId: string) => {
      const user = await UserFactory.from({}).create(app.get(UserRepository), projectId);
      const ref = { userInternalId: user.internalId, userId: user.uid, secret: 's' };
      await sessions.create(projectId, { uid: `expired-${projectId}`.slice(0, 36), ...ref, provider: 'email', expire: ago(HOUR) });
      await sessions.create(projectId, { uid: `live-${projectId}`.slice(0, 36), ...ref, provider: 'email', expire: new Date(Date.now() + HOUR) });
      await sessions.create(projectId, { uid: `forever-${projectId}`.slice(0, 36), ...ref, provider: 'email', expire: null });
      await tokens.create(projectId, { uid: `expired-${projectId}`.slice(0, 36), ...ref, type: 3, expire: ago(HOUR) });
      await tokens.create(projectId, { uid: `live-${projectId}`.slice(0, 36), ...ref, type: 3, expire: new Date(Date.now() + HOUR) });
    };
    await seed(p1);
    await seed(p2);

    expect(await run({ type: DeleteJobType.Sessions, projectId: p1, datetime: new Date().toISOString() })).toEqual({ projects: 1, sessions: 1, tokens: 1 });
    expect(await sessions.count(p2)).toBe(3);

    expect(await run({ type: DeleteJobType.Sessions, datetime: new Date().toISOString() })).toMatchObject({ sessions: 1, tokens: 1 });
    for (const projectId of [p1, p2]) {
      expect((await sessions.list(projectId)).map((row) => row.uid).sort()).toEqual([`forever-${projectId}`, `live-${projectId}`].map((id) => id.slice(0, 36)).sort());
      expect((await tokens.list(projectId)).map((row) => row.uid)).toEqual([`live-${projectId}`.slice(0, 36)]);
    }
    expect(await run({ type: DeleteJobType.Sessions })).toMatchObject({ sessions: 0, tokens: 0 });
  });

  it('users: removes a deleted user\'s sessions, tokens and memberships and fixes team totals, once; leaves live users alone', async () => {
    const users = app.get(UserRepository);
    const teams = app.get(TeamRepository);
    const memberships = app.get(MembershipRepository);
    const sessions = app.get(SessionRepository);
    const tokens = app.get(TokenRepository);
    const gone = await UserFactory.from({}).create(users, p1);
    const alive = await UserFactory.from({}).create(users, p1);
    const team = await teams.create(p1, { uid: 'team-u', name: 'Team', total: 2, prefs: {} });
    const credentials = async (user: UserEntity) => {
      const ref = { userInternalId: user.internalId, userId: user.uid, secret: 's' };
      await sessions.create(p1, { uid: `s-${user.uid}`.slice(0, 36), ...ref, provider: 'email', expire: new Date(Date.now() + HOUR) });
      await tokens.create(p1, { uid: `t-${user.uid}`.slice(0, 36), ...ref, type: 2, expire: new Date(Date.now() + HOUR) });
      await memberships.create(p1, { uid: `m-${user.uid}`.slice(0, 36), userInternalId: user.internalId, userId: user.uid, teamInternalId: team.internalId, teamId: team.uid, roles: [], confirm: true, secret: '' });
    };
    await credentials(gone);
    await credentials(alive);
    await users.delete(p1, gone.uid);
    const job = { type: DeleteJobType.Users, projectId: p1, document: { $id: gone.uid, $internalId: gone.internalId } };

    expect(await run(job)).toEqual({ memberships: 1, sessions: 1, tokens: 1 });
    expect((await teams.findByUid(p1, team.uid))?.total).toBe(1);
    expect(await sessions.count(p1, { userInternalId: alive.internalId })).toBe(1);
    expect(await tokens.count(p1, { userInternalId: alive.internalId })).toBe(1);
    expect(await memberships.count(p1, { teamInternalId: team.internalId })).toBe(1);

    expect(await run(job)).toEqual({ memberships: 0, sessions: 0, tokens: 0 });
    expect((await teams.findByUid(p1, team.uid))?.total).toBe(1);

    const refused = await run({ type: DeleteJobType.Users, projectId: p1, document: { $id: alive.uid, $internalId: alive.internalId } });
    expect(refused).toMatchObject({ skipped: 'user_exists' });
    expect(await sessions.count(p1, { userInternalId: alive.internalId })).toBe(1);
  });

  it('teams: removes the memberships of a deleted team only; idempotent; a live team is left alone', async () => {
    const teams = app.get(TeamRepository);
    const memberships = app.get(MembershipRepository);
    const user = await UserFactory.from({}).create(app.get(UserRepository), p2);
    const doomed = await teams.create(p2, { uid: 'team-doomed', name: 'Doomed', total: 1, prefs: {} });
    const kept = await teams.create(p2, { uid: 'team-kept', name: 'Kept', total: 1, prefs: {} });
    for (const team of [doomed, kept]) {
      await memberships.create(p2, { uid: `m-${team.uid}`, userInternalId: user.internalId, userId: user.uid, teamInternalId: team.internalId, teamId: team.uid, roles: [], confirm: true, secret: '' });
    }
    await teams.delete(p2, doomed.uid);

    expect(await run({ type: DeleteJobType.Teams, projectId: p2, document: { $id: doomed.uid, $internalId: doomed.internalId } })).toEqual({ memberships: 1 });
    expect(await memberships.count(p2, { teamInternalId: kept.internalId })).toBe(1);
    expect(await run({ type: DeleteJobType.Teams, projectId: p2, document: { $id: doomed.uid, $internalId: doomed.internalId } })).toEqual({ memberships: 0 });
    expect(await run({ type: DeleteJobType.Teams, projectId: p2, document: { $id: kept.uid, $internalId: kept.internalId } })).toMatchObject({ skipped: 'team_exists' });
    expect(await memberships.count(p2, { teamInternalId: kept.internalId })).toBe(1);
  });

  it('abuse: unlinks windows that started before the cut-off under this prefix only, keeps recent ones; idempotent', async () => {
    const redis = app.get<Redis>(REDIS);
    const now = Math.floor(Date.now() / 1000);
    const other = testRedisPrefix();
    const oldStart = now - 3 * 86400;
    const recentStart = now - 600;
    await redis.set(`${prefix}:abuse:url:/v1/account,ip:1.2.3.4:${oldStart}`, '3'); // no TTL: what Redis < 7 would leave
    await redis.set(`${prefix}:abuse:url:/v1/account,ip:1.2.3.5:${oldStart}`, '3', 'EX', 600);
    await redis.set(`${prefix}:abuse:url:/v1/account,ip:1.2.3.4:${recentStart}`, '1', 'EX', 3600);
    await redis.set(`${prefix}:other:${oldStart}`, 'x');
    await redis.set(`${other}:abuse:url:/v1/account,ip:1.2.3.4:${oldStart}`, '3', 'EX', 60);
    try {
      const datetime = new Date((now - 86400) * 1000).toISOString();
      expect(await run({ type: DeleteJobType.Abuse, datetime })).toEqual({ deleted: 2, immortal: 1, scanned: 3 });
      expect(await redis.exists(`${prefix}:abuse:url:/v1/account,ip:1.2.3.4:${recentStart}`)).toBe(1);
      expect(await redis.exists(`${prefix}:other:${oldStart}`)).toBe(1);
      expect(await redis.exists(`${other}:abuse:url:/v1/account,ip:1.2.3.4:${oldStart}`)).toBe(1);
      expect(await run({ type: DeleteJobType.Abuse, datetime })).toEqual({ deleted: 0, immortal: 0, scanned: 1 });
    } finally {
      await redis.unlink(`${other}:abuse:url:/v1/account,ip:1.2.3.4:${oldStart}`);
    }
  });

  it('cacheByTimeStamp: purges cache files older than the cut-off and empty folders; keeps newer files', async () => {
    const cache = app.get(AppConfig).get('storage').paths.cache;
    const file = (path: string, ageMs: number) => {
      const full = join(cache, path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, 'x');
      const when = ago(ageMs);
      utimesSync(full, when, when);
      return full;
    };
    const old = [file('app-a/old1', 40 * 24 * HOUR), file('app-b/nested/old2', 31 * 24 * HOUR)];
    const fresh = [file('app-a/fresh', HOUR), file('fresh-root', 29 * 24 * HOUR)];
    const datetime = ago(30 * 24 * HOUR).toISOString();

    expect(await run({ type: DeleteJobType.CacheByTimestamp, datetime })).toEqual({ files: 2 });
    for (const path of old) expect(existsSync(path)).toBe(false);
    for (const path of fresh) expect(existsSync(path)).toBe(true);
    expect(existsSync(join(cache, 'app-b'))).toBe(false);
    expect(existsSync(cache)).toBe(true);
    expect(await run({ type: DeleteJobType.CacheByTimestamp, datetime })).toEqual({ files: 0 });
  });

  it('cacheByTimeStamp with a projectId: sweeps that project\'s uploads abandoned before the cut-off, nothing else', async () => {
    const files = app.get(FileRepository);
    const seed = async (projectId: string, uid: string, chunksUploaded: number, ageMs: number) => {
      await files.create(projectId, { uid, bucketInternalId: '1', bucketId: 'b1', name: uid, chunksTotal: 3, chunksUploaded });
      await db.pool.query('UPDATE `files` SET `_updatedAt` = ? WHERE `_project` = ? AND `_uid` = ?', [ago(ageMs), projectId, uid]);
    };
    await seed(p1, 'abandoned', 1, 48 * HOUR);
    await seed(p1, 'in-progress', 1, HOUR);
    await seed(p1, 'complete', 3, 48 * HOUR);
    await seed(p2, 'abandoned', 1, 48 * HOUR);
    const job = { type: DeleteJobType.CacheByTimestamp, projectId: p1, datetime: ago(24 * HOUR).toISOString() };

    expect(await run(job)).toEqual({ uploads: 1 });
    expect((await files.list(p1)).map((row) => row.uid).sort()).toEqual(['complete', 'in-progress']);
    expect(await files.count(p2)).toBe(1);
    expect(await run(job)).toEqual({ uploads: 0 });
  });
});
