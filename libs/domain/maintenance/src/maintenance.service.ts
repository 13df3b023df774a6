import { Inject, Injectable, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { ProjectRepository } from '@appconda/database';
import { CONSOLE_PROJECT_ID } from '@appconda/identity';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { STALE_UPLOAD_AGE_MS } from '@appconda/storage';
import { IntervalLock, REDIS, REDIS_PREFIX } from '@appconda/transport';

import { MAINTENANCE_OPTIONS, MaintenanceOptions } from './maintenance.options';
import { allProjectIds } from './project-ids';

const logger = serviceLogger('maintenance');

/** One job of a run with the Bull jobId that makes it unique per interval. */
export interface PlannedJob {
  jobId: string;
  payload: DeleteJob;
}

export interface MaintenanceRun {
  /** `floor(now / interval)`: the interval this run belongs to. */
  slot: number;
  /** False when another instance already took this interval's lock. */
  ran: boolean;
  jobs: PlannedJob[];
}

/**
 * Appwrite 1.3's maintenance task: every `_APP_MAINTENANCE_INTERVAL` it only enqueues deletes jobs
 * with their retention cut-offs; worker-deletes does the deleting. Enqueued today are the types some
 * capability handles (audit, abuse, sessions, cacheByTimeStamp, usageStats, executions, and per project
 * the abandoned-upload sweep as `cacheByTimeStamp` with a projectId). realtime joins the list when
 * realtime registers its handler; enqueued now it would only fail.
 *
 * Scaled out, one instance per interval does the work (IntervalLock on `<prefix>:maintenance:lock`):
 * instances boot at different times, so their timers fire hours apart within one interval, and without
 * the interval-long lock a later one would enqueue everything again. A run that fails releases the lock
 * so another can redo the interval. Every job's id carries the slot too, so even a second run of an interval (lock deleted,
 * manual run) adds nothing Bull still holds.
 */
@Injectable()
export class MaintenanceService {
  private readonly lock: IntervalLock;

  constructor(
    private readonly config: AppConfig,
    @InjectJobQueue(QueueName.Deletes) private readonly deletes: JobQueue<QueueName.Deletes>,
    private readonly projects: ProjectRepository,
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_PREFIX) prefix: string,
    @Optional() @Inject(MAINTENANCE_OPTIONS) private readonly options: MaintenanceOptions = {},
  ) {
    this.lock = new IntervalLock(redis, `${prefix}:maintenance:lock`);
  }

  /** The interval between runs in ms. */
  get intervalMs(): number {
    return this.options.intervalMs ?? this.config.get('maintenance').interval * 1000;
  }

  /** One run: takes the interval's lock, then enqueues the retention jobs. */
  async run(now: Date = this.options.now?.() ?? new Date()): Promise<MaintenanceRun> {
    const started = Date.now();
    const { slot, acquired } = await this.lock.acquire(now, this.intervalMs);
    if (!acquired) {
      logger.info({ event: 'maintenance_skipped', slot, reason: 'lock_held' }, 'another instance runs this interval');
      return { slot, ran: false, jobs: [] };
    }
    const counts: Record<string, number> = {};
    let jobs: PlannedJob[];
    try {
      jobs = await this.plan(now, slot);
      for (const job of jobs) {
        await this.deletes.add(job.payload, { jobId: job.jobId });
        counts[job.payload.type] = (counts[job.payload.type] ?? 0) + 1;
      }
    } catch (error) {
      // Let another instance (or the next tick) redo the interval; the jobs already added dedupe by id.
      await this.lock.release(slot);
      throw error;
    }
    logger.info({ event: 'maintenance_enqueued', slot, jobs: jobs.length, counts, ms: Date.now() - started }, `enqueued ${jobs.length} deletes jobs`);
    return { slot, ran: true, jobs };
  }

  /** The jobs of one run, with their cut-offs (Appwrite's `DateTime::addSeconds(now, -retention)`). */
  async plan(now: Date, slot: number): Promise<PlannedJob[]> {
    const retention = this.config.get('maintenance').retention;
    const before = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
    const job = (type: DeleteJobType, datetime: string, projectId?: string): PlannedJob => ({
      jobId: ['maintenance', type, ...(projectId ? [projectId] : []), slot].join('.'),
      payload: { type, datetime, ...(projectId ? { projectId } : {}) },
    });
    const jobs = [
      job(DeleteJobType.Audit, before(retention.audit)),
      job(DeleteJobType.Abuse, before(retention.abuse)),
      job(DeleteJobType.Sessions, now.toISOString()),
      job(DeleteJobType.CacheByTimestamp, before(retention.cache)),
      job(DeleteJobType.UsageStats, before(retention.usageHourly)),
      job(DeleteJobType.Executions, before(retention.execution)),
    ];
    const staleUploads = new Date(now.getTime() - STALE_UPLOAD_AGE_MS).toISOString();
    for await (const projectId of allProjectIds(this.projects)) {
      // The console owns no buckets; its users' files live in their projects.
      if (projectId !== CONSOLE_PROJECT_ID) jobs.push(job(DeleteJobType.CacheByTimestamp, staleUploads, projectId));
    }
    return jobs;
  }
}
