import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule, ExecutionRepository, FunctionRepository, ScheduleRepository } from '@appconda/database';
import { createTestDatabase, deleteRedisKeys, overrideEnv, TestApps, TestDatabase, testRedisPrefix } from '@appconda/testing';
import Redis from 'ioredis';

import { FunctionScheduler, scheduleExecutionId } from './function-scheduler';
import { FunctionsScheduleModule } from './functions.module';

const T0 = new Date('2031-05-04T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/**
 * The schedule service against real MariaDB and Redis: replicas scanning the same second, a replica
 * dying between enqueueing a tick and advancing the schedule, a restart across missed ticks — every
 * tick yields exactly one execution and one job, and the schedule's next/previous stay right.
 */
describe('FunctionScheduler (replicas and restarts)', () => {
  const prefix = testRedisPrefix();
  const apps = new TestApps();
  let db: TestDatabase;
  let restoreEnv: () => void;
  let redis: Redis;

  async function replica(): Promise<{ app: INestApplicationContext; scheduler: FunctionScheduler }> {
    @Module({ imports: [DatabaseModule.forRoot(), FunctionsScheduleModule.forRoot({ start: false })] })
    class Replica {}
    const app = await apps.start(Replica);
    return { app, scheduler: app.get(FunctionScheduler) };
  }

  const executions = () => db.pool.query("SELECT _uid AS id FROM executions WHERE _project = 'p1' AND `trigger` = 'schedule' ORDER BY _id") as Promise<{ id: string }[]>;

  beforeAll(async () => {
    db = await createTestDatabase();
    restoreEnv = overrideEnv({ ...db.env, _APP_REDIS_PREFIX: prefix });
    redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
  });

  afterAll(async () => {
    await apps.closeAll();
    await deleteRedisKeys(redis, prefix);
    redis.disconnect();
    restoreEnv();
    await db.drop();
  });

  it('fires each tick once across two replicas, a half-done fire and a restart, and moves next/previous', async () => {
    const a = await replica();
    const b = await replica();
    const functions = a.app.get(FunctionRepository);
    const fn = await functions.create('p1', { uid: 'cron', execute: [], name: 'Cron', enabled: true, runtime: 'node-18.0', deployment: 'd1', events: [], schedule: '* * * * *', scheduleNext: T0, timeout: 15 });
    await a.app.get(ScheduleRepository).upsertFunction('p1', 'cron', String(fn.internalId), '* * * * *', T0);
    const queue = a.app.get<Queue>(getQueueToken(QueueName.Functions));

    // Two replicas scan the same second: one runs, the other finds the second taken.
    const [first, second] = await Promise.all([a.scheduler.run(at(200)), b.scheduler.run(at(300))]);
    expect([first.ran, second.ran].sort()).toEqual([false, true]);
    expect(first.fired + second.fired).toBe(1);
    expect(await executions()).toEqual([{ id: scheduleExecutionId('p1', 'cron', T0) }]);
    const stored = await functions.findByUid('p1', 'cron');
    expect([stored?.schedulePrevious, stored?.scheduleNext]).toEqual([T0, at(60_000)]);
    expect((await b.scheduler.run(at(1_100))).fired).toBe(0);

    // A replica died after enqueueing T0 but before advancing: the tick is due again and fires into the same execution and job.
    await db.pool.query("UPDATE schedules SET `next` = ? WHERE projectId = 'p1'", [T0]);
    expect((await b.scheduler.run(at(2_100))).fired).toBe(1);
    expect(await executions()).toHaveLength(1);
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 1 });

    // Restart: a new replica takes over at the next tick.
    await apps.closeAll();
    const c = await replica();
    expect((await c.scheduler.run(at(60_400))).fired).toBe(1);
    expect((await c.scheduler.run(at(61_400))).fired).toBe(0);
    expect((await executions()).map((row) => row.id)).toEqual([scheduleExecutionId('p1', 'cron', T0), scheduleExecutionId('p1', 'cron', at(60_000))]);

    // Down across two ticks: the latest missed one fires once, then the schedule looks ahead again.
    expect((await c.scheduler.run(at(185_000))).fired).toBe(1);
    expect(await executions()).toHaveLength(3);
    const after = await c.app.get(FunctionRepository).findByUid('p1', 'cron');
    expect([after?.schedulePrevious, after?.scheduleNext]).toEqual([at(120_000), at(240_000)]);
    const rows = await c.app.get(ExecutionRepository).list('p1', { where: { trigger: 'schedule' } });
    expect(rows.every((row) => row.status === 'waiting')).toBe(true);
  });

  it('stops firing a function whose schedule was removed or that was deleted', async () => {
    const c = await replica();
    const schedules = c.app.get(ScheduleRepository);
    const fn = await c.app.get(FunctionRepository).create('p1', { uid: 'gone', execute: [], name: 'Gone', enabled: true, runtime: 'node-18.0', deployment: 'd1', events: [], schedule: '* * * * *', timeout: 15 });
    await schedules.upsertFunction('p1', 'gone', String(fn.internalId), '* * * * *', at(300_000));
    await c.app.get(FunctionRepository).delete('p1', 'gone');
    await c.scheduler.run(at(301_000));
    const [{ n }] = (await db.pool.query("SELECT COUNT(*) AS n FROM executions WHERE functionId = 'gone'")) as { n: number }[];
    expect(Number(n)).toBe(0);
    expect((await schedules.due(at(400_000))).map((row) => row.resourceId)).not.toContain('gone');
  });
});
