import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bull';
import type Redis from 'ioredis';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { CertificateJob, DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { CertificateRepository, DatabaseModule, ProjectRepository } from '@appconda/database';
import { STALE_UPLOAD_AGE_MS } from '@appconda/storage';
import { createTestDatabase, deleteRedisKeys, ProjectFactory, TestDatabase, testRedisPrefix } from '@appconda/testing';
import { REDIS } from '@appconda/transport';

import { MaintenanceSchedulerModule } from './maintenance-scheduler.module';
import { MaintenanceOptions } from './maintenance.options';
import { MaintenanceService } from './maintenance.service';

const DAY = 86_400_000;
const HOUR_S = 3600;

/** What apps/maintenance composes, with test options. */
function maintenanceApp(options: MaintenanceOptions): Promise<INestApplicationContext> {
  @Module({ imports: [ConfigModule, DatabaseModule.forRoot(), MaintenanceSchedulerModule.forRoot(options)] })
  class TestMaintenanceModule {}
  return NestFactory.createApplicationContext(TestMaintenanceModule, { logger: false });
}

// Real MariaDB, Redis and Bull on a shared 2-core machine: give each case room beyond jest's 5 s default.
jest.setTimeout(30_000);

describe('Maintenance scheduler (real MariaDB/Redis/Bull)', () => {
  let db: TestDatabase;
  let prefix: string;
  let first: INestApplicationContext;
  let second: INestApplicationContext;
  let queue: Queue<DeleteJob>;
  let projectIds: string[];
  const saved = { ...process.env };
  // Far from the wall clock, so the booted schedulers' own slots never collide with the ones tested here.
  const now = new Date('2031-05-04T03:02:01.000Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    Object.assign(process.env, db.env, {
      _APP_REDIS_PREFIX: prefix,
      _APP_MAINTENANCE_INTERVAL: String(HOUR_S),
      _APP_MAINTENANCE_RETENTION_AUDIT: String(14 * 86400),
      _APP_MAINTENANCE_RETENTION_ABUSE: '86400',
      _APP_MAINTENANCE_RETENTION_CACHE: String(30 * 86400),
    });
    resetAppConfig();
    // Two instances of the app, as when maintenance is scaled; their timers do not fire during the test.
    first = await maintenanceApp({ firstRunDelayMs: DAY });
    second = await maintenanceApp({ firstRunDelayMs: DAY });
    await Promise.all([first.init(), second.init()]);
    queue = first.get<Queue<DeleteJob>>(getQueueToken(QueueName.Deletes));
    const projects = first.get(ProjectRepository);
    projectIds = [(await ProjectFactory.from({ name: 'a' }).create(projects)).uid, (await ProjectFactory.from({ name: 'b' }).create(projects)).uid];
  }, 60_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    const { default: IORedis } = await import('ioredis');
    const redis = new IORedis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
    await deleteRedisKeys(redis, prefix);
    await redis.quit();
    await db?.drop();
    process.env = saved;
    resetAppConfig();
  });

  async function storedJobs(): Promise<Map<string, DeleteJob>> {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    return new Map(jobs.map((job) => [String(job.id), job.data]));
  }

  it('enqueues the retention jobs with their cut-offs, and the abandoned-upload sweep per project', async () => {
    const slot = Math.floor(now.getTime() / (HOUR_S * 1000));
    const run = await first.get(MaintenanceService).run(now);
    expect(run).toMatchObject({ ran: true, slot });

    const before = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
    const expected: Record<string, DeleteJob> = {
      [`maintenance.audit.${slot}`]: { type: DeleteJobType.Audit, datetime: before(14 * 86400) },
      [`maintenance.abuse.${slot}`]: { type: DeleteJobType.Abuse, datetime: before(86400) },
      [`maintenance.sessions.${slot}`]: { type: DeleteJobType.Sessions, datetime: now.toISOString() },
      [`maintenance.cacheByTimeStamp.${slot}`]: { type: DeleteJobType.CacheByTimestamp, datetime: before(30 * 86400) },
      // _APP_MAINTENANCE_RETENTION_USAGE_HOURLY: 8640000 s (100 days) by default.
      [`maintenance.usageStats.${slot}`]: { type: DeleteJobType.UsageStats, datetime: before(8640000) },
    };
    for (const projectId of projectIds) {
      expected[`maintenance.cacheByTimeStamp.${projectId}.${slot}`] = {
        type: DeleteJobType.CacheByTimestamp,
        projectId,
        datetime: new Date(now.getTime() - STALE_UPLOAD_AGE_MS).toISOString(),
      };
    }
    const stored = await storedJobs();
    expect(Object.fromEntries(stored)).toEqual(expected);
    expect(run.jobs.map((job) => job.jobId).sort()).toEqual(Object.keys(expected).sort());
  });

  it('lets only one of two instances enqueue per interval, and a second run of an interval adds no duplicates', async () => {
    const later = new Date(now.getTime() + HOUR_S * 1000);
    const before = (await storedJobs()).size;
    const runs = await Promise.all([first.get(MaintenanceService).run(later), second.get(MaintenanceService).run(later)]);
    expect(runs.map((run) => run.ran).sort()).toEqual([false, true]);
    const added = runs.find((run) => run.ran)!.jobs.length;
    expect(added).toBe(5 + projectIds.length);
    expect((await storedJobs()).size).toBe(before + added);

    // Later in the same interval the lock is still held.
    expect((await second.get(MaintenanceService).run(new Date(later.getTime() + 60_000))).ran).toBe(false);

    // Even with the lock gone (expired early, manual run), the interval's jobs are not enqueued twice.
    const redis = first.get<Redis>(REDIS);
    expect(await redis.del(`${prefix}:maintenance:lock:${runs[0].slot}`)).toBe(1);
    expect((await second.get(MaintenanceService).run(later)).ran).toBe(true);
    expect((await storedJobs()).size).toBe(before + added);
  });

  it('enqueues the certificates due for renewal with fewer than 5 failed attempts, once per interval (1.3 renewCertificates)', async () => {
    const at = new Date(now.getTime() + 3 * HOUR_S * 1000);
    const certificates = first.get(CertificateRepository);
    const record = (domain: string, renewDate: Date, attempts: number) => certificates.save(domain, `c${domain.length}${attempts}${renewDate.getTime() % 1000}`.slice(0, 36), { renewDate, attempts });
    await record('due.example-renew.com', new Date(at.getTime() - DAY), 0);
    await record('retry.example-renew.com', at, 4);
    await record('later.example-renew.com', new Date(at.getTime() + DAY), 0);
    await record('given-up.example-renew.com', new Date(at.getTime() - DAY), 5);

    const run = await first.get(MaintenanceService).run(at);
    expect(run.renewals).toEqual(['due.example-renew.com', 'retry.example-renew.com']);
    const renewals = first.get<Queue<CertificateJob>>(getQueueToken(QueueName.Certificates));
    const jobs = await renewals.getJobs(['waiting', 'delayed']);
    expect(Object.fromEntries(jobs.map((job) => [job.id, job.data]))).toEqual({
      [`maintenance.certificate.due.example-renew.com.${run.slot}`]: { domain: 'due.example-renew.com', validateCNAME: true, validateTarget: true },
      [`maintenance.certificate.retry.example-renew.com.${run.slot}`]: { domain: 'retry.example-renew.com', validateCNAME: true, validateTarget: true },
    });
    // A second run of the interval (lock gone) adds nothing Bull still holds.
    await first.get<Redis>(REDIS).del(`${prefix}:maintenance:lock:${run.slot}`);
    expect((await first.get(MaintenanceService).run(at)).renewals).toHaveLength(2);
    expect(await renewals.getJobs(['waiting', 'delayed'])).toHaveLength(2);
  });

  it('releases the lock when a run fails, so another instance redoes the interval', async () => {
    const at = new Date(now.getTime() + 5 * HOUR_S * 1000);
    const failing = jest.spyOn(first.get(ProjectRepository), 'list').mockRejectedValueOnce(new Error('database gone'));
    try {
      await expect(first.get(MaintenanceService).run(at)).rejects.toThrow('database gone');
    } finally {
      failing.mockRestore();
    }
    const retry = await second.get(MaintenanceService).run(at);
    expect(retry.ran).toBe(true);
    expect((await storedJobs()).has(`maintenance.audit.${retry.slot}`)).toBe(true);
  });

  it('runs by itself shortly after boot and then every interval', async () => {
    const ticks: Date[] = [];
    let clock = now.getTime() + 10 * HOUR_S * 1000;
    const app = await maintenanceApp({
      firstRunDelayMs: 20,
      intervalMs: 150,
      // Each run reads the clock once; advancing it by an interval makes every tick a new slot.
      now: () => {
        const at = new Date(clock);
        clock += 150;
        ticks.push(at);
        return at;
      },
    });
    await app.init();
    try {
      const deadline = Date.now() + 5_000;
      while (ticks.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    } finally {
      await app.close();
    }
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    const stored = await storedJobs();
    for (const at of ticks.slice(0, 3)) {
      const slot = Math.floor(at.getTime() / 150);
      expect(stored.get(`maintenance.audit.${slot}`)).toEqual({ type: DeleteJobType.Audit, datetime: new Date(at.getTime() - 14 * DAY).toISOString() });
    }
  });
});
