import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { QueueName, UsageJob } from '@appconda/contracts';
import { JobContext, JobHandler } from '@appconda/queue';

import { InfluxClient, InfluxPoint } from './influx.client';

/** The measurement every usage point goes to; the metric and labels are its tags. */
export const USAGE_MEASUREMENT = 'usage';

/**
 * How long InfluxDB keeps the raw points (the default retention policy of the usage database, set
 * when the database is first used). Only the aggregation reads them: every run re-sums the current
 * and the previous hour and day, and the first run after a boot re-sums the last 90 days (whole
 * days, so up to 91). 100 days keeps all of that with room to spare, then InfluxDB drops points
 * day by day (one-day shard groups). What the charts show lives on in MariaDB `stats`.
 */
export const USAGE_POINTS_RETENTION_DAYS = 100;

/**
 * The InfluxDB database of this installation: named after `_APP_REDIS_PREFIX`, so installations (and
 * parallel test runs) sharing one InfluxDB stay apart exactly as they do in Redis.
 */
export function usageDatabase(config: AppConfig): string {
  return config.get('redisPrefix');
}

/**
 * The nanosecond time of a job's points: the flush time in ms, plus the job's sequence below the
 * millisecond. Points of two jobs never share a time (so InfluxDB keeps both), while a retried job
 * writes the very same times and tags again, which InfluxDB treats as an overwrite: retries are
 * idempotent without any bookkeeping.
 */
export function pointTime(time: string, jobId: string): bigint {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new Error(`invalid usage batch time ${JSON.stringify(time)}`);
  return BigInt(ms) * 1_000_000n + jobSequence(jobId);
}

function jobSequence(jobId: string): bigint {
  if (/^\d+$/.test(jobId)) return BigInt(jobId) % 1_000_000n;
  let hash = 2166136261;
  for (let i = 0; i < jobId.length; i++) hash = Math.imul(hash ^ jobId.charCodeAt(i), 16777619) >>> 0;
  return BigInt(hash % 1_000_000);
}

/** The InfluxDB points of one batch; points that would share tags are summed (InfluxDB would keep only the last). */
export function batchPoints(job: UsageJob, jobId: string): InfluxPoint[] {
  const time = pointTime(job.time, jobId);
  const points = new Map<string, InfluxPoint>();
  for (const point of job.points) {
    if (typeof point.value !== 'number' || !Number.isFinite(point.value) || typeof point.metric !== 'string' || typeof point.projectId !== 'string') continue;
    const tags: Record<string, string> = { project: point.projectId, metric: point.metric };
    for (const [name, value] of Object.entries(point.labels ?? {})) if (value && name !== 'project' && name !== 'metric') tags[name] = String(value);
    const key = JSON.stringify(Object.entries(tags).sort());
    const existing = points.get(key);
    if (existing) existing.value += point.value;
    else points.set(key, { measurement: USAGE_MEASUREMENT, tags, value: point.value, time });
  }
  return [...points.values()];
}

/** Writes each `v1-usage` batch to InfluxDB (creating the database on first use). Throwing lets Bull retry. */
@Injectable()
export class UsagePointsHandler implements JobHandler<QueueName.Usage> {
  private ready: Promise<void> | undefined;
  private readonly database: string;

  constructor(
    config: AppConfig,
    private readonly influx: InfluxClient,
  ) {
    this.database = usageDatabase(config);
  }

  async handle(job: UsageJob, context: JobContext): Promise<{ points: number }> {
    const points = batchPoints(job, context.jobId);
    await this.ensureDatabase();
    await this.influx.write(this.database, points);
    return { points: points.length };
  }

  /** Creates the database and sets its retention once per process; a failure is retried by the next call. */
  ensureDatabase(): Promise<void> {
    this.ready ??= (async () => {
      await this.influx.createDatabase(this.database);
      await this.influx.ensureRetention(this.database, USAGE_POINTS_RETENTION_DAYS);
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}
