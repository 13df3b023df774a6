import { Inject, Injectable, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { CERTIFICATE_MAX_ATTEMPTS } from '@appconda/certificates';
import { AppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { CertificateRepository, ProjectRepository } from '@appconda/database';
import { CONSOLE_PROJECT_ID } from '@appconda/identity';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { STALE_UPLOAD_AGE_MS } from '@appconda/storage';
import { IntervalLock, REDIS, REDIS_PREFIX } from '@appconda/transport';

import { MAINTENANCE_OPTIONS, MaintenanceOptions } from './maintenance.options';
import { allProjectIds } from './project-ids';

const logger = serviceLogger('maintenance');

/** Certificates enqueued per run at most: Let's Encrypt allows 300 new orders per 3 hours (Appwrite keeps 100 for new domains). */
const RENEWALS_PER_RUN = 200;

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
  /** The domains whose certificates were enqueued for renewal. */
  renewals: string[];
}

/**
 * Appwrite 1.3's maintenance task: every `_APP_MAINTENANCE_INTERVAL` it only enqueues deletes jobs
 * with their retention cut-offs (worker-deletes does the deleting) and the renewal of the TLS
 * certificates that are due (worker-certificates orders them). Enqueued today are the types some
 * capability handles (audit, abuse, sessions, cacheByTimeStamp, usageStats, and per project the
 * abandoned-upload sweep as `cacheByTimeStamp` with a projectId). executions and realtime join the
 * list when functions and realtime register their handlers; enqueued now they would only fail.
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
    private readonly certificates: CertificateRepository,
    @InjectJobQueue(QueueName.Certificates) private readonly certificateJobs: JobQueue<QueueName.Certificates>,
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
      return { slot, ran: false, jobs: [], renewals: [] };
    }
    const counts: Record<string, number> = {};
    let jobs: PlannedJob[];
    let renewals: string[];
    try {
      jobs = await this.plan(now, slot);
      for (const job of jobs) {
        await this.deletes.add(job.payload, { jobId: job.jobId });
        counts[job.payload.type] = (counts[job.payload.type] ?? 0) + 1;
      }
      renewals = await this.renewCertificates(now, slot);
    } catch (error) {
      // Let another instance (or the next tick) redo the interval; the jobs already added dedupe by id.
      await this.lock.release(slot);
      throw error;
    }
    logger.info({ event: 'maintenance_enqueued', slot, jobs: jobs.length, counts, renewals: renewals.length, ms: Date.now() - started }, `enqueued ${jobs.length} deletes jobs and ${renewals.length} certificate renewals`);
    return { slot, ran: true, jobs, renewals };
  }

  /**
   * 1.3's `renewCertificates`: certificates whose renew date has come (30 days before expiry, or a failed
   * try) with fewer than 5 failed attempts, at most 200 per run. The worker checks the CNAME again and keeps
   * a certificate that turns out to be valid.
   */
  private async renewCertificates(now: Date, slot: number): Promise<string[]> {
    const due = await this.certificates.listDue(now, CERTIFICATE_MAX_ATTEMPTS, RENEWALS_PER_RUN);
    for (const { domain } of due) {
      await this.certificateJobs.add({ domain, validateCNAME: true, validateTarget: true }, { jobId: `maintenance.certificate.${domain}.${slot}` });
    }
    return due.map(({ domain }) => domain);
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
    ];
    const staleUploads = new Date(now.getTime() - STALE_UPLOAD_AGE_MS).toISOString();
    for await (const projectId of allProjectIds(this.projects)) {
      // The console owns no buckets; its users' files live in their projects.
      if (projectId !== CONSOLE_PROJECT_ID) jobs.push(job(DeleteJobType.CacheByTimestamp, staleUploads, projectId));
    }
    return jobs;
  }
}
