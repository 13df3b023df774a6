import { randomBytes } from 'node:crypto';

import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Job, Queue } from 'bull';
import Redis from 'ioredis';
import { QueueName, UsageJob } from '@appconda/contracts';
import { rootLogger } from '@appconda/core';
import { BucketRepository, DatabaseModule, ProjectRepository, UserRepository } from '@appconda/database';
import { JobQueue, jobQueueToken, QueueModule } from '@appconda/queue';
import { createTestDatabase, freePort, hasInfluxd, overrideEnv, ProjectFactory, TestApps, TestDatabase, TestInflux, UserFactory, waitFor } from '@appconda/testing';
import { InfluxClient, InfluxSink, UsageAggregator, UsagePointsHandler, UsageScheduler, UsageWorkerModule } from '@appconda/usage';

import { deleteKeys } from '../../../libs/queue/test/redis-keys';
import { UsageModule } from './usage.module';
import { UsageProcessor } from './usage.processor';

/** The usage service as UsageModule composes it, with InfluxDB retried every 200 ms instead of 30 s. */
@Module({ imports: [DatabaseModule.forRoot(), UsageWorkerModule.forRoot({ influx: { probeIntervalMs: 200 } })], providers: [UsageProcessor] })
class QuickProbeUsageModule {}

const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
let db: TestDatabase;

/** The stored value of one stats row, or undefined. */
async function stat(projectId: string, metric: string, period: '1h' | '1d', time: number): Promise<number | undefined> {
  const rows: { value: number | bigint }[] = await db.pool.query('SELECT value FROM `stats` WHERE _project = ? AND metric = ? AND period = ? AND time = ?', [projectId, metric, period, new Date(time)]);
  return rows.length ? Number(rows[0].value) : undefined;
}

const hour = (at: number) => Math.floor(at / 3600_000) * 3600_000;
const day = (at: number) => Math.floor(at / 86400_000) * 86400_000;

/** One batch as the API's collector flushes it. */
const batch = (now: number, value: number): UsageJob => ({
  time: new Date(now).toISOString(),
  points: [
    { projectId: 'p1', metric: 'requests', labels: {}, value },
    { projectId: 'p1', metric: 'documents.requests.create', labels: { databaseId: 'db1', collectionId: 'c1' }, value },
    { projectId: 'p1', metric: 'documents.requests.create', labels: { databaseId: 'db1', collectionId: 'c2' }, value: 1 },
    { projectId: 'p2', metric: 'requests', labels: {}, value: 7 },
    // In flight when its project was deleted: never becomes a row.
    { projectId: 'p-gone', metric: 'requests', labels: {}, value: 3 },
  ],
});

/** Enqueues batches through the API's producer and waits until the usage service has handled them. */
async function deliver(api: INestApplicationContext, ...batches: UsageJob[]): Promise<Job<UsageJob>[]> {
  const producer = api.get<JobQueue<QueueName.Usage>>(jobQueueToken(QueueName.Usage));
  const bull = api.get<Queue>(getQueueToken(QueueName.Usage));
  const jobs: Job<UsageJob>[] = [];
  for (const payload of batches) jobs.push((await bull.getJob(await producer.add(payload)))!);
  for (const job of jobs) await waitFor(async () => ((await job.getState()) === 'completed' ? true : undefined));
  return jobs;
}

/** Log lines (through any service logger) of one level with the given event. */
function events(spy: jest.SpyInstance, event: string): unknown[] {
  return spy.mock.calls.filter(([fields]) => (fields as { event?: string } | undefined)?.event === event);
}

beforeAll(async () => {
  await redis.connect();
});

afterAll(async () => {
  await redis.quit();
});

/**
 * Per describe: its own schema, Redis prefix, env and apps (the scheduler stays out of the way: one
 * run an hour), and projects p1 and p2.
 */
function usageSuite(env: () => Record<string, string>) {
  const prefix = `appconda_t_${randomBytes(4).toString('hex')}`;
  const apps = new TestApps();
  let restoreEnv: () => void = () => undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    restoreEnv = overrideEnv({ _APP_REDIS_PREFIX: prefix, _APP_USAGE_AGGREGATION_INTERVAL: '3600', _APP_USAGE_DATABASE_INTERVAL: '3600', ...db.env, ...env() });
  });
  afterAll(async () => {
    await apps.closeAll();
    await deleteKeys(redis, prefix);
    await db?.drop();
    restoreEnv();
  });
  /** Starts the service module and creates the suite's projects p1 and p2. */
  const startWorker = async (module: Parameters<TestApps['start']>[0]) => {
    const worker = await apps.start(module);
    for (const uid of ['p1', 'p2']) await ProjectFactory.from({ uid }).create(worker.get(ProjectRepository, { strict: false }));
    return worker;
  };
  return { apps, prefix, startWorker };
}

describe('usage service without InfluxDB (real MariaDB and Redis; InfluxDB on a closed port)', () => {
  let closedPort = 0;
  // Declared before usageSuite's hooks, which read the port: jest runs beforeAll hooks in declaration order.
  beforeAll(async () => {
    closedPort = await freePort();
  });
  const { apps, startWorker } = usageSuite(() => ({ _APP_INFLUXDB_HOST: '127.0.0.1', _APP_INFLUXDB_PORT: String(closedPort) }));

  it('adds each batch straight to stats, once, rolled up per label level; InfluxDB’s absence is one warning, never an error', async () => {
    const warn = jest.spyOn(rootLogger(), 'warn');
    const error = jest.spyOn(rootLogger(), 'error');
    try {
      const worker = await startWorker(UsageModule);
      const api = await apps.start(QueueModule.forProducer(QueueName.Usage));
      const now = Date.now();
      // Two batches flushed in the same millisecond stay two batches.
      const jobs = await deliver(api, batch(now, 3), batch(now, 2));
      expect(await jobs[0].finished()).toEqual({ rows: 14, influx: 'dropped' });

      expect(await stat('p1', 'requests', '1h', hour(now))).toBe(5);
      expect(await stat('p1', 'requests', '1d', day(now))).toBe(5);
      expect(await stat('p2', 'requests', '1h', hour(now))).toBe(14);
      expect(await stat('p1', 'documents.requests.create', '1h', hour(now))).toBe(7);
      expect(await stat('p1', 'documents.requests.create:db1', '1h', hour(now))).toBe(7);
      expect(await stat('p1', 'documents.requests.create:db1/c1', '1h', hour(now))).toBe(5);
      expect(await stat('p1', 'documents.requests.create:db1/c2', '1d', day(now))).toBe(2);
      expect(await stat('p-gone', 'requests', '1h', hour(now))).toBeUndefined();

      // A retried job (a crash after the commit, before Bull's ack) adds nothing.
      await worker.get(UsageProcessor).process(jobs[0]);
      expect(await stat('p1', 'requests', '1h', hour(now))).toBe(5);

      // Ticks find InfluxDB away without throwing; one warning in all, no error.
      const aggregator = worker.get(UsageAggregator, { strict: false });
      expect(await aggregator.run(new Date(Date.UTC(2031, 0, 1, 12)))).toMatchObject({ ran: true, influx: false });
      expect(await aggregator.run(new Date(Date.UTC(2031, 0, 1, 13)))).toMatchObject({ ran: true, influx: false });
      // Those runs, years ahead, forgot the ids of today's batches (kept 3 days).
      const [{ n }] = await db.pool.query('SELECT COUNT(1) AS n FROM `stats_batches`');
      expect(Number(n)).toBe(0);
      expect(events(warn, 'usage_influxdb_unavailable')).toHaveLength(1);
      expect(error).not.toHaveBeenCalled();
      // This installation never reached InfluxDB: nothing is kept back for it.
      expect(await worker.get(InfluxSink, { strict: false }).backlog()).toBe(0);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  }, 30_000);

  it('snapshots counts from the tables as gauges, dropping to 0 when the rows go', async () => {
    const worker = apps.first ?? (await apps.start(UsageModule));
    const aggregator = worker.get(UsageAggregator, { strict: false });
    const users = worker.get(UserRepository, { strict: false });
    const now = Date.now();
    const p3 = (await ProjectFactory.from().create(worker.get(ProjectRepository, { strict: false }))).uid;
    const created = await Promise.all([UserFactory.from().create(users, p3), UserFactory.from().create(users, p3)]);
    await worker.get(BucketRepository, { strict: false }).create(p3, { uid: 'b1', name: 'B' });

    await aggregator.snapshotCounts(new Date(now));
    expect(await stat(p3, 'users.count', '1h', hour(now))).toBe(2);
    expect(await stat(p3, 'users.count', '1d', day(now))).toBe(2);
    expect(await stat(p3, 'buckets.count', '1h', hour(now))).toBe(1);

    for (const user of created) await users.delete(p3, user.uid);
    await aggregator.snapshotCounts(new Date(now));
    expect(await stat(p3, 'users.count', '1h', hour(now))).toBe(0);
    expect(await stat(p3, 'buckets.count', '1h', hour(now))).toBe(1);
  }, 30_000);

  it('runs the counts once per interval across replicas (Redis lock)', async () => {
    const aggregator = (apps.first ?? (await apps.start(UsageModule))).get(UsageAggregator, { strict: false });
    const at = new Date(Date.UTC(2032, 0, 1, 12));
    expect((await aggregator.run(at)).ran).toBe(true);
    expect((await aggregator.run(at)).ran).toBe(false);
  }, 30_000);
});

describe('usage service with _APP_USAGE_STATS=disabled', () => {
  const { apps } = usageSuite(() => ({ _APP_USAGE_STATS: 'disabled', _APP_INFLUXDB_HOST: '127.0.0.1', _APP_INFLUXDB_PORT: '1' }));

  it('schedules no aggregation and ignores batches, without a word about InfluxDB', async () => {
    const warn = jest.spyOn(rootLogger(), 'warn');
    try {
      const worker = await apps.start(UsageModule);
      expect(worker.get(SchedulerRegistry).getIntervals()).toEqual([]);
      expect(worker.get(SchedulerRegistry).getTimeouts()).toEqual([]);
      const result = await worker.get(UsagePointsHandler, { strict: false }).handle(batch(Date.now(), 1), { jobId: '1', attempt: 1 } as never);
      expect(result).toEqual({ rows: 0, influx: 'disabled' });
      expect(await stat('p1', 'requests', '1h', hour(Date.UTC(2099, 0, 1)))).toBeUndefined();
      expect(events(warn, 'usage_influxdb_unavailable')).toHaveLength(0);
    } finally {
      warn.mockRestore();
    }
  });
});

// The InfluxDB path runs wherever Debian's influxd is installed (tools/ci/ensure-services.sh installs it in CI).
const withInfluxd = hasInfluxd() ? describe : describe.skip;

withInfluxd('usage service with InfluxDB (a private influxd), including an outage', () => {
  let influx: TestInflux;
  beforeAll(async () => {
    influx = await TestInflux.create();
  }, 40_000);
  afterAll(async () => {
    await influx?.close();
  });
  const { apps, prefix, startWorker } = usageSuite(() => influx.env);

  it('adds batches to stats and writes their points to InfluxDB, idempotently, with the retention set', async () => {
    const worker = await startWorker(QuickProbeUsageModule);
    // The test drives every run itself: no scheduled tick may replay the backlog behind its back.
    await worker.get(UsageScheduler, { strict: false }).beforeApplicationShutdown();
    const api = await apps.start(QueueModule.forProducer(QueueName.Usage));
    const client = worker.get(InfluxClient, { strict: false });
    const now = Date.now();
    const jobs = await deliver(api, batch(now, 3), batch(now, 2));
    expect(await jobs[1].finished()).toMatchObject({ influx: 'written' });

    const total = async () => {
      const series = await client.query(prefix, `SELECT sum(value) FROM "usage" WHERE project = 'p1' AND metric = 'requests'`);
      return Number(series[0]?.values[0][1] ?? 0);
    };
    expect(await total()).toBe(5);
    expect(await stat('p1', 'requests', '1h', hour(now))).toBe(5);
    const [policies] = await client.query(prefix, `SHOW RETENTION POLICIES ON "${prefix}"`);
    const policy = Object.fromEntries(policies.columns.map((column, index) => [column, policies.values.find((row) => row[policies.columns.indexOf('default')] === true)?.[index]]));
    expect(policy).toMatchObject({ duration: '2400h0m0s', shardGroupDuration: '24h0m0s' });
    // A retried job overwrites its own points and adds no count.
    await worker.get(UsageProcessor).process(jobs[0]);
    expect(await total()).toBe(5);
    expect(await stat('p1', 'requests', '1h', hour(now))).toBe(5);
  }, 30_000);

  it('loses no count while InfluxDB is down, says so once, and replays the missed points when it is back', async () => {
    const worker = apps.first!;
    const api = await apps.start(QueueModule.forProducer(QueueName.Usage));
    const sink = worker.get(InfluxSink, { strict: false });
    const aggregator = worker.get(UsageAggregator, { strict: false });
    const client = worker.get(InfluxClient, { strict: false });
    const warn = jest.spyOn(rootLogger(), 'warn');
    const info = jest.spyOn(rootLogger(), 'info');
    try {
      const before = (await stat('p1', 'requests', '1h', hour(Date.now()))) ?? 0;
      await influx.stop();
      const now = Date.now();
      const jobs = await deliver(api, batch(now, 4), batch(now, 6));
      expect(await Promise.all(jobs.map((job) => job.finished()))).toEqual([expect.objectContaining({ influx: 'queued' }), expect.objectContaining({ influx: 'queued' })]);
      expect(await stat('p1', 'requests', '1h', hour(now))).toBe(before + 10);
      expect(await sink.backlog()).toBe(2);
      expect(await aggregator.run(new Date(Date.UTC(2033, 0, 1, 1)))).toMatchObject({ influx: false, replayed: 0 });
      expect(events(warn, 'usage_influxdb_unavailable')).toHaveLength(1);

      await influx.start();
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await aggregator.run(new Date(Date.UTC(2033, 0, 1, 2)))).toMatchObject({ influx: true, replayed: 2 });
      expect(events(info, 'usage_influxdb_back')).toHaveLength(1);
      expect(await sink.backlog()).toBe(0);
      const series = await client.query(prefix, `SELECT sum(value) FROM "usage" WHERE project = 'p1' AND metric = 'requests' AND time >= ${now}ms`);
      expect(Number(series[0]?.values[0][1])).toBe(10);
      expect(events(warn, 'usage_influxdb_unavailable')).toHaveLength(1);
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  }, 60_000);
});
