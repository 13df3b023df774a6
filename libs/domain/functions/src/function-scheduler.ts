import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type Redis from 'ioredis';
import { QueueName } from '@appconda/contracts';
import { RecurringRun, serviceLogger } from '@appconda/core';
import { DueSchedule, ExecutionRepository, FunctionRepository, ScheduleRepository } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { IntervalLock, REDIS, REDIS_PREFIX } from '@appconda/transport';
import { createHash } from 'node:crypto';

import { nextTick } from './cron';
import { pendingExecution } from './functions.dto';

const logger = serviceLogger('schedule');

export interface SchedulerOptions {
  /** How often due schedules are looked for, in ms (default 1000). */
  intervalMs?: number;
  /** The clock (tests move it). */
  now?: () => Date;
  /** Start the per-second timer at boot (default true; tests call `run(now)` themselves). */
  start?: boolean;
}

export const SCHEDULER_OPTIONS = Symbol('SCHEDULER_OPTIONS');

/** The execution id of one tick of one function's schedule: a tick fired twice is still one execution. */
export function scheduleExecutionId(projectId: string, functionId: string, tick: Date): string {
  return createHash('sha256').update(`${projectId}\u0000${functionId}\u0000${tick.toISOString()}`).digest('hex').slice(0, 20);
}

export interface ScheduleRun {
  ran: boolean;
  /** Ticks this run fired (executions enqueued). */
  fired: number;
}

/**
 * The schedule service: every second it fires the cron ticks that are due, across all projects.
 *
 * Exactly once per tick, across replicas and restarts:
 * - one replica per second scans (IntervalLock `<prefix>:schedule:lock:<second>` in Redis);
 * - a tick's execution has an id derived from (project, function, tick), created `waiting` before its
 *   job is enqueued (the job's id is derived from it too), and only the worker that moves it to
 *   `processing` runs it — a tick fired twice (a replica dying between enqueueing and advancing, a
 *   restart) yields one execution;
 * - the schedule row advances from the fired tick to the next one by compare-and-set, so a tick is
 *   never skipped: until some replica has advanced it, it stays due.
 * After downtime a schedule fires its latest missed tick once and moves on (no burst of missed runs).
 */
@Injectable()
export class FunctionScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly lock: IntervalLock;
  private readonly recurring: RecurringRun;

  constructor(
    private readonly executions: ExecutionRepository,
    private readonly functions: FunctionRepository,
    @InjectJobQueue(QueueName.Functions) private readonly queue: JobQueue<QueueName.Functions>,
    private readonly schedules: ScheduleRepository,
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_PREFIX) prefix: string,
    registry: SchedulerRegistry,
    @Optional() @Inject(SCHEDULER_OPTIONS) private readonly options: SchedulerOptions = {},
  ) {
    this.lock = new IntervalLock(redis, `${prefix}:schedule:lock`);
    this.recurring = new RecurringRun(registry, 'schedule', () => this.run(), (err) => logger.error({ event: 'schedule_failed', err }, 'schedule run failed'));
  }

  private get intervalMs(): number {
    return this.options.intervalMs ?? 1000;
  }

  onApplicationBootstrap(): void {
    if (this.options.start === false) return;
    this.recurring.start(this.intervalMs, this.intervalMs);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.recurring.stop();
  }

  /** One scan: fires every due tick (in pages), unless another replica scans this second. */
  async run(now: Date = this.options.now?.() ?? new Date()): Promise<ScheduleRun> {
    const { slot, acquired } = await this.lock.acquire(now, this.intervalMs);
    if (!acquired) return { ran: false, fired: 0 };
    let fired = 0;
    try {
      for (;;) {
        const due = await this.schedules.due(now, 100);
        for (const row of due) fired += await this.fire(row, now);
        if (due.length < 100) break;
      }
    } catch (error) {
      await this.lock.release(slot);
      throw error;
    }
    return { ran: true, fired };
  }

  /** Fires one due tick (0 or 1 executions) and moves the schedule to its next tick. */
  private async fire(row: DueSchedule, now: Date): Promise<number> {
    const tick = row.next!;
    const fn = await this.functions.findByUid(row.projectId, row.resourceId);
    if (!fn || String(fn.internalId) !== String(row.resourceInternalId) || !fn.schedule) {
      await this.schedules.advance(row, tick, null);
      return 0;
    }
    const following = nextTick(fn.schedule, now);
    let enqueued = 0;
    if (fn.enabled && fn.deployment) {
      const executionId = scheduleExecutionId(row.projectId, fn.uid, tick);
      await this.executions.createOnce(row.projectId, pendingExecution(fn, executionId, fn.deployment, 'schedule', 'waiting'));
      await this.queue.add({ trigger: 'schedule', projectId: row.projectId, functionId: fn.uid, executionId });
      enqueued = 1;
    }
    if (await this.schedules.advance(row, tick, following)) {
      await this.functions.update(row.projectId, fn.uid, { schedulePrevious: tick, scheduleNext: following });
      logger.debug({ event: 'schedule_fired', projectId: row.projectId, functionId: fn.uid, tick: tick.toISOString(), next: following.toISOString() }, 'schedule fired');
    }
    return enqueued;
  }
}
