import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bull';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { AppConfig } from '@appconda/config';
import {
  AuditRepository,
  BuildRepository,
  DatabaseRepository,
  DeploymentRepository,
  ExecutionRepository,
  FunctionRepository,
  MembershipRepository,
  ProjectRepository,
  ScheduleRepository,
  StatsRepository,
  TeamRepository,
  UserRepository,
  VariableRepository,
} from '@appconda/database';
import { JobQueue, jobHandlerToken, jobQueueToken, JobTypeDispatcher } from '@appconda/queue';
import { createTestDatabase, deleteRedisKeys, freePort, hasInfluxd, ProjectFactory, TestDatabase, TestInflux, testRedisPrefix, UserFactory } from '@appconda/testing';
import Redis from 'ioredis';
import { InfluxClient, InfluxSink, UsagePointsHandler } from '@appconda/usage';

import { WorkerDeletesModule } from './worker-deletes.module';

// Real MariaDB, Redis and Bull on a shared 2-core machine: give each case room beyond jest's 5 s default.
jest.setTimeout(30_000);

describe('WorkerDeletesModule (real MariaDB/Redis/Bull)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let prefix: string;
  let root: string;
  let testInflux: TestInflux | undefined;
  const saved = { ...process.env };

  /** Runs one job to its end; each call is a new job (a retry), whatever the payload's default job id. */
  async function run(payload: DeleteJob): Promise<unknown> {
    const id = await app.get<JobQueue<QueueName.Deletes>>(jobQueueToken(QueueName.Deletes)).add(payload, { attempts: 1, jobId: `t.${randomUUID()}` });
    const job = await app.get<Queue>(getQueueToken(QueueName.Deletes)).getJob(id);
    return job!.finished();
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    root = mkdtempSync(join(tmpdir(), 'appconda-wd-'));
    // A private InfluxDB where influxd is installed; otherwise a closed port (InfluxDB is optional).
    testInflux = hasInfluxd() ? await TestInflux.create() : undefined;
    const influxEnv = testInflux?.env ?? { _APP_INFLUXDB_HOST: '127.0.0.1', _APP_INFLUXDB_PORT: String(await freePort()) };
    Object.assign(process.env, db.env, influxEnv, { _APP_REDIS_PREFIX: prefix, _APP_STORAGE_ROOT: root, _APP_STORAGE_DEVICE: 'local' });
    resetAppConfig();
    // As bootstrapService composes it: ConfigModule plus the app's module.
    @Module({ imports: [ConfigModule, WorkerDeletesModule] })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await testInflux?.close();
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
        DeleteJobType.UsageStats,
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

  it('functions cascades: a deleted deployment loses its code, build and artifact; a function its deployments, executions, variables and schedule; a project everything', async () => {
    const project = (await ProjectFactory.from({ name: 'fn' }).create(app.get(ProjectRepository))).uid;
    const [functions, deployments, builds, executions, variables, schedules] = [FunctionRepository, DeploymentRepository, BuildRepository, ExecutionRepository, VariableRepository, ScheduleRepository].map((type) => app.get(type as never)) as [
      FunctionRepository,
      DeploymentRepository,
      BuildRepository,
      ExecutionRepository,
      VariableRepository,
      ScheduleRepository,
    ];
    const folder = join(root, 'functions', `app-${project}`);
    mkdirSync(folder, { recursive: true });
    const seed = async (functionId: string) => {
      const fn = await functions.create(project, { uid: functionId, execute: [], name: functionId, enabled: true, runtime: 'node-18.0', deployment: '', events: [], schedule: '* * * * *', timeout: 15 });
      const code = join(folder, `${functionId}-d.tar.gz`); // where the api stores a deployment's code
      const artifact = join(root, `${functionId}-build.tar.gz`);
      writeFileSync(code, 'code');
      writeFileSync(artifact, 'built');
      const deployment = await deployments.create(project, { uid: `${functionId}-d`, functionInternalId: String(fn.internalId), resourceId: functionId, resourceType: 'functions', buildId: `${functionId}-b`, entrypoint: 'index.js', path: code, size: 4, metadata: {}, chunksTotal: 1, chunksUploaded: 1, activate: true });
      await builds.create(project, { uid: `${functionId}-b`, deploymentId: deployment.uid, runtime: 'node-18.0', status: 'ready', outputPath: artifact, source: code, sourceType: 'local', stdout: '', stderr: '', duration: 1 });
      await executions.create(project, { uid: `${functionId}-e`, functionInternalId: String(fn.internalId), functionId, deploymentId: deployment.uid, trigger: 'http', status: 'completed', statusCode: 200, response: '', stdout: '', stderr: '', duration: 0 });
      await variables.create(project, { uid: `${functionId}-v`, functionInternalId: String(fn.internalId), functionId, key: 'K', value: 'v' });
      await schedules.upsertFunction(project, functionId, String(fn.internalId), '* * * * *', new Date());
      return { fn, deployment, code, artifact };
    };
    const one = await seed('one');
    const two = await seed('two');

    await deployments.delete(project, one.deployment.uid);
    await run({ type: DeleteJobType.Deployments, projectId: project, document: { $id: one.deployment.uid, $internalId: one.deployment.internalId } });
    expect([existsSync(one.code), existsSync(one.artifact), await builds.findByUid(project, 'one-b')]).toEqual([false, false, null]);

    await functions.delete(project, 'one');
    const twice = { type: DeleteJobType.Functions, projectId: project, document: { $id: 'one', $internalId: one.fn.internalId } };
    await run(twice);
    await run(twice);
    expect([await executions.count(project, { functionId: 'one' }), await variables.count(project, { functionId: 'one' }), (await schedules.due(new Date(Date.now() + 60_000))).filter((row) => row.resourceId === 'one')]).toEqual([0, 0, []]);
    expect(await executions.count(project, { functionId: 'two' })).toBe(1);

    await run({ type: DeleteJobType.Projects, projectId: project, document: { $id: project } });
    expect([existsSync(folder), existsSync(two.artifact)]).toEqual([false, false]);
    for (const repository of [functions, deployments, builds, executions, variables]) expect(await (repository as FunctionRepository).count(project)).toBe(0);
  });

  it('usage cascades: a deleted collection, bucket, database or project loses its stats rows and labelled InfluxDB points, the totals keep their share; idempotent', async () => {
    const stats = app.get(StatsRepository);
    const sink = app.get(InfluxSink, { strict: false });
    const influx = app.get(InfluxClient, { strict: false });
    // The usage service's batch handler, on this app's MariaDB and InfluxDB (when there is one).
    const handler = new UsagePointsHandler(app.get(AppConfig), sink, stats);
    const projects = app.get(ProjectRepository);
    const project = await ProjectFactory.from({ name: 'usage' }).create(projects);
    const p = project.uid;
    const q = (await ProjectFactory.from({ name: 'other' }).create(projects)).uid;
    const database = await app.get(DatabaseRepository).create(p, { uid: 'db1', name: 'D', enabled: true, search: 'db1 D' });
    const now = Date.now();
    const hour = new Date(Math.floor(now / 3600_000) * 3600_000);
    const point = (projectId: string, metric: string, labels: Record<string, string>, value: number) => ({ projectId, metric, labels, value });
    const batch = (jobId: string, points: ReturnType<typeof point>[]) => handler.handle({ time: new Date(now).toISOString(), points }, { jobId, attempt: 1 } as never);
    await batch('1', [point(p, 'documents.requests.read', { databaseId: 'db1', collectionId: 'c1' }, 3), point(p, 'documents.requests.read', { databaseId: 'db1', collectionId: 'c2' }, 2)]);
    await batch('2', [
      point(p, 'documents.requests.read', { databaseId: 'db1', collectionId: 'c1' }, 1),
      // A bucket named like the database: its own family, untouched by the database cascades.
      point(p, 'files.requests.read', { bucketId: 'db1' }, 4),
      point(p, 'requests', {}, 10),
      point(q, 'documents.requests.read', { databaseId: 'db1', collectionId: 'c1' }, 7),
    ]);
    const gauge = (projectId: string, metric: string) => ({ projectId, metric, period: '1h' as const, time: hour, value: 1 });
    await stats.upsert([gauge(p, 'documents.count:db1/c1'), gauge(p, 'collections.count:db1'), gauge(p, 'files.count:db1'), gauge(q, 'documents.count:db1/c1')]);
    const hourly = (projectId: string): Promise<{ metric: string; value: number }[]> => db.pool.query('SELECT metric, value FROM `stats` WHERE _project = ? AND period = ?', [projectId, '1h']);
    const stored = async (projectId: string) => Object.fromEntries((await hourly(projectId)).map((row) => [row.metric, Number(row.value)]));
    /** Series of labelled points left in InfluxDB (0 without InfluxDB: nothing to look at). */
    const labelled = async (where: string) => (testInflux ? (await influx.query(prefix, `SELECT count(value) FROM "usage" WHERE ${where}`)).length : 0);
    const detached = testInflux ? 1 : 0;
    const before = await stored(p);
    expect(before).toMatchObject({ 'documents.requests.read': 6, 'documents.requests.read:db1': 6, 'documents.requests.read:db1/c1': 4, 'files.requests.read:db1': 4, requests: 10 });
    if (testInflux) expect(await labelled(`"project" = '${p}' AND "collectionId" = 'c1'`)).toBe(1);
    const collectionJob: DeleteJob = { type: DeleteJobType.Collections, projectId: p, document: { $id: 'c1', $internalId: '901', collection: `database_${database.internalId}` } };

    // Collection: its `:db1/c1` rows (hour, day, count) and points go; the database's and the project's totals keep its 4.
    expect(await run(collectionJob)).toEqual(['deleted', { rows: 3, detached }]);
    const afterCollection = await stored(p);
    expect(afterCollection).toMatchObject({ 'documents.requests.read': 6, 'documents.requests.read:db1': 6, 'documents.requests.read:db1/c2': 2, 'collections.count:db1': 1 });
    expect(afterCollection).not.toHaveProperty(['documents.requests.read:db1/c1']);
    expect(afterCollection).not.toHaveProperty(['documents.count:db1/c1']);
    expect(await labelled(`"project" = '${p}' AND "collectionId" = 'c1'`)).toBe(0);
    expect(await stored(q)).toMatchObject({ 'documents.requests.read:db1/c1': 7, 'documents.count:db1/c1': 1 });
    // A retried job finds nothing more to do.
    expect(await run(collectionJob)).toEqual(['deleted', { rows: 0, detached: 0 }]);

    // Bucket `db1`: only the files/buckets family.
    expect(await run({ type: DeleteJobType.Buckets, projectId: p, document: { $id: 'db1', $internalId: '902' } })).toEqual([{ files: 0 }, { rows: 3, detached }]);
    expect(await stored(p)).toMatchObject({ 'documents.requests.read:db1': 6, 'collections.count:db1': 1 });

    // Database: everything under `:db1`, points included; the project total keeps all 6.
    expect(await run({ type: DeleteJobType.Databases, projectId: p, document: { $id: 'db1', $internalId: database.internalId } })).toEqual(['deleted', { rows: 5, detached }]);
    const afterDatabase = await stored(p);
    expect(Object.keys(afterDatabase).filter((metric) => metric.includes(':db1'))).toEqual([]);
    expect(afterDatabase).toMatchObject({ 'documents.requests.read': 6, 'files.requests.read': 4, requests: 10 });
    expect(await labelled(`"project" = '${p}' AND "databaseId" = 'db1'`)).toBe(0);

    // Project: all its rows and points; the other project keeps its own.
    const projectJob: DeleteJob = { type: DeleteJobType.Projects, projectId: p, document: { $id: p, $internalId: project.internalId, collection: 'projects' } };
    await run(projectJob);
    expect(await hourly(p)).toEqual([]);
    expect(await labelled(`"project" = '${p}'`)).toBe(0);
    expect(await stored(q)).toMatchObject({ 'documents.requests.read:db1/c1': 7 });
    expect(await labelled(`"project" = '${q}'`)).toBe(detached);
    await run(projectJob);
    expect(await hourly(p)).toEqual([]);
  });
});
