import { randomBytes } from 'node:crypto';

import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import Redis from 'ioredis';
import { AppConfig } from '@appconda/config';
import { QueueName, UsageJob } from '@appconda/contracts';
import { BucketRepository, ProjectRepository, StatsRepository, UserRepository } from '@appconda/database';
import { JobQueue, jobQueueToken, QueueModule } from '@appconda/queue';
import { createTestDatabase, overrideEnv, ProjectFactory, TestApps, TestDatabase, UserFactory, waitFor } from '@appconda/testing';
import { InfluxClient, UsageAggregator } from '@appconda/usage';

import { deleteKeys } from '../../../libs/queue/test/redis-keys';
import { UsageModule } from './usage.module';
import { UsageProcessor } from './usage.processor';

const PREFIX = `appconda_t_${randomBytes(4).toString('hex')}`;
const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
const apps = new TestApps();
let db: TestDatabase;
let restoreEnv: () => void = () => undefined;

/** The stored value of one stats row, or undefined. */
async function stat(projectId: string, metric: string, period: '1h' | '1d', time: number): Promise<number | undefined> {
  const rows: { value: number | bigint }[] = await db.pool.query('SELECT value FROM `stats` WHERE _project = ? AND metric = ? AND period = ? AND time = ?', [projectId, metric, period, new Date(time)]);
  return rows.length ? Number(rows[0].value) : undefined;
}

const hour = (at: number) => Math.floor(at / 3600_000) * 3600_000;
const day = (at: number) => Math.floor(at / 86400_000) * 86400_000;

beforeAll(async () => {
  await redis.connect();
  db = await createTestDatabase();
  // The scheduler stays out of the way (one run an hour); the test drives the aggregator itself.
  restoreEnv = overrideEnv({ _APP_REDIS_PREFIX: PREFIX, _APP_USAGE_AGGREGATION_INTERVAL: '3600', _APP_USAGE_DATABASE_INTERVAL: '3600', ...db.env });
});

afterAll(async () => {
  const influx = apps.first?.get(InfluxClient, { strict: false });
  await apps.closeAll();
  await influx?.dropDatabase(PREFIX).catch(() => undefined);
  await db?.drop();
  await deleteKeys(redis, PREFIX);
  await redis.quit();
  restoreEnv();
});

describe('usage service (real Redis, MariaDB and InfluxDB)', () => {
  it('writes batches to InfluxDB idempotently and aggregates them into stats, rolled up and re-runnable', async () => {
    const worker = await apps.start(UsageModule);
    const api = await apps.start(QueueModule.forProducer(QueueName.Usage));
    const influx = worker.get(InfluxClient, { strict: false });
    const aggregator = worker.get(UsageAggregator, { strict: false });
    // Stats are kept for existing projects only; p-gone's points (in flight when it was deleted) never become rows.
    for (const uid of ['p1', 'p2']) await ProjectFactory.from({ uid }).create(worker.get(ProjectRepository, { strict: false }));
    const now = Date.now();
    const batch = (value: number): UsageJob => ({
      time: new Date(now).toISOString(),
      points: [
        { projectId: 'p1', metric: 'requests', labels: {}, value },
        { projectId: 'p1', metric: 'documents.requests.create', labels: { databaseId: 'db1', collectionId: 'c1' }, value },
        { projectId: 'p1', metric: 'documents.requests.create', labels: { databaseId: 'db1', collectionId: 'c2' }, value: 1 },
        { projectId: 'p2', metric: 'requests', labels: {}, value: 7 },
        { projectId: 'p-gone', metric: 'requests', labels: {}, value: 3 },
      ],
    });

    // Two batches flushed in the same millisecond stay two batches.
    const producer = api.get<JobQueue<QueueName.Usage>>(jobQueueToken(QueueName.Usage));
    const ids = [await producer.add(batch(3)), await producer.add(batch(2))];
    const bull = api.get<Queue>(getQueueToken(QueueName.Usage));
    const jobs = await Promise.all(ids.map((id) => bull.getJob(id)));
    for (const job of jobs) await waitFor(async () => ((await job!.getState()) === 'completed' ? true : undefined));

    const total = async () => {
      const series = await influx.query(PREFIX, `SELECT sum(value) FROM "usage" WHERE project = 'p1' AND metric = 'requests'`);
      return Number(series[0]?.values[0][1] ?? 0);
    };
    expect(await total()).toBe(5);
    // The database got its retention: the default policy keeps raw points 100 days, in one-day shards.
    const [policies] = await influx.query(PREFIX, `SHOW RETENTION POLICIES ON "${PREFIX}"`);
    const policy = Object.fromEntries(policies.columns.map((column, index) => [column, policies.values.find((row) => row[policies.columns.indexOf('default')] === true)?.[index]]));
    expect(policy).toMatchObject({ duration: '2400h0m0s', shardGroupDuration: '24h0m0s' });
    // A retried job (crash after the write, before Bull's ack) overwrites its own points: still 5.
    await worker.get(UsageProcessor).process(jobs[0]!);
    expect(await total()).toBe(5);

    await aggregator.aggregateSums(new Date(now));
    expect(await stat('p1', 'requests', '1h', hour(now))).toBe(5);
    expect(await stat('p1', 'requests', '1d', day(now))).toBe(5);
    expect(await stat('p2', 'requests', '1h', hour(now))).toBe(14);
    expect(await stat('p1', 'documents.requests.create', '1h', hour(now))).toBe(7);
    expect(await stat('p1', 'documents.requests.create:db1', '1h', hour(now))).toBe(7);
    expect(await stat('p1', 'documents.requests.create:db1/c1', '1h', hour(now))).toBe(5);
    expect(await stat('p1', 'documents.requests.create:db1/c2', '1d', day(now))).toBe(2);

    // Aggregating again (another tick, another replica) rewrites the same absolute values.
    await aggregator.aggregateSums(new Date(now));
    expect(await stat('p1', 'requests', '1h', hour(now))).toBe(5);
    const [{ n }] = await db.pool.query('SELECT COUNT(1) AS n FROM `stats` WHERE _project = ? AND metric = ?', ['p1', 'requests']);
    expect(Number(n)).toBe(2);
    const [{ gone }] = await db.pool.query('SELECT COUNT(1) AS gone FROM `stats` WHERE _project = ?', ['p-gone']);
    expect(Number(gone)).toBe(0);
  }, 30_000);

  it('snapshots counts from the tables as gauges, dropping to 0 when the rows go', async () => {
    const worker = apps.first ?? (await apps.start(UsageModule));
    const aggregator = worker.get(UsageAggregator, { strict: false });
    const users = worker.get(UserRepository, { strict: false });
    const buckets = worker.get(BucketRepository, { strict: false });
    const now = Date.now();
    const p3 = (await ProjectFactory.from().create(worker.get(ProjectRepository, { strict: false }))).uid;
    const created = await Promise.all([UserFactory.from().create(users, p3), UserFactory.from().create(users, p3)]);
    await buckets.create(p3, { uid: 'b1', name: 'B' });

    await aggregator.snapshotCounts(new Date(now));
    expect(await stat(p3, 'users.count', '1h', hour(now))).toBe(2);
    expect(await stat(p3, 'users.count', '1d', day(now))).toBe(2);
    expect(await stat(p3, 'buckets.count', '1h', hour(now))).toBe(1);

    for (const user of created) await users.delete(p3, user.uid);
    await aggregator.snapshotCounts(new Date(now));
    expect(await stat(p3, 'users.count', '1h', hour(now))).toBe(0);
    expect(await stat(p3, 'buckets.count', '1h', hour(now))).toBe(1);
  }, 30_000);

  it('runs one aggregation per interval across replicas (Redis lock)', async () => {
    const worker = apps.first ?? (await apps.start(UsageModule));
    const aggregator = worker.get(UsageAggregator, { strict: false });
    const stats = worker.get(StatsRepository, { strict: false });
    expect(stats).toBeDefined();
    const at = new Date(Date.UTC(2031, 0, 1, 12));
    expect((await aggregator.run(at)).ran).toBe(true);
    expect((await aggregator.run(at)).ran).toBe(false);
    expect(worker.get(AppConfig).get('redisPrefix')).toBe(PREFIX);
  }, 30_000);
});
