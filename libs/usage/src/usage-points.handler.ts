import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { QueueName, UsageJob, UsagePoint } from '@appconda/contracts';
import { StatPeriod, StatRow, StatsRepository } from '@appconda/database';
import { JobContext, JobHandler } from '@appconda/queue';

import { InfluxPoint } from './influx.client';
import { InfluxSink } from './influx.sink';
import { periodStart, statKeys } from './usage.metrics';

/** The measurement every usage point goes to; the metric and labels are its tags. */
export const USAGE_MEASUREMENT = 'usage';

const PERIODS: readonly StatPeriod[] = ['1h', '1d'];

/**
 * The nanosecond time of a job's points: the flush time in ms, plus the job's sequence below the
 * millisecond. Points of two jobs never share a time (so InfluxDB keeps both), while a retried job
 * writes the very same times and tags again, which InfluxDB treats as an overwrite: retries are
 * idempotent without any bookkeeping.
 */
export function pointTime(time: string, jobId: string): bigint {
  return BigInt(batchTime(time)) * 1_000_000n + jobSequence(jobId);
}

function batchTime(time: string): number {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new Error(`invalid usage batch time ${JSON.stringify(time)}`);
  return ms;
}

function jobSequence(jobId: string): bigint {
  if (/^\d+$/.test(jobId)) return BigInt(jobId) % 1_000_000n;
  let hash = 2166136261;
  for (let i = 0; i < jobId.length; i++) hash = Math.imul(hash ^ jobId.charCodeAt(i), 16777619) >>> 0;
  return BigInt(hash % 1_000_000);
}

/** The well-formed points of a batch (a job is data from Redis: anything else is skipped). */
function validPoints(job: UsageJob): UsagePoint[] {
  return (job.points ?? []).filter(
    (point) => typeof point.value === 'number' && Number.isFinite(point.value) && typeof point.metric === 'string' && typeof point.projectId === 'string' && point.projectId !== '',
  );
}

/** The InfluxDB points of one batch; points that would share tags are summed (InfluxDB would keep only the last). */
export function batchPoints(job: UsageJob, jobId: string): InfluxPoint[] {
  const time = pointTime(job.time, jobId);
  const points = new Map<string, InfluxPoint>();
  for (const point of validPoints(job)) {
    const tags: Record<string, string> = { project: point.projectId, metric: point.metric };
    for (const [name, value] of Object.entries(point.labels ?? {})) if (value && name !== 'project' && name !== 'metric') tags[name] = String(value);
    const key = JSON.stringify(Object.entries(tags).sort());
    const existing = points.get(key);
    if (existing) existing.value += point.value;
    else points.set(key, { measurement: USAGE_MEASUREMENT, tags, value: point.value, time });
  }
  return [...points.values()];
}

/**
 * The `stats` increments of one batch: each point adds to its metric and to each label level
 * (`documents.requests.read`, `…:db`, `…:db/col`), in the hour and the day of the batch's flush time.
 */
export function batchRows(job: UsageJob): StatRow[] {
  const at = batchTime(job.time);
  const rows = new Map<string, StatRow>();
  for (const point of validPoints(job)) {
    for (const metric of statKeys(point.metric, point.labels ?? {})) {
      for (const period of PERIODS) {
        const time = periodStart(period, at);
        const id = `${point.projectId}\u0000${metric}\u0000${period}\u0000${time}`;
        const row = rows.get(id) ?? { projectId: point.projectId, metric, period, time: new Date(time), value: 0 };
        row.value += point.value;
        rows.set(id, row);
      }
    }
  }
  return [...rows.values()];
}

/**
 * The id a batch is remembered by in `stats_batches`: its ISO flush time (so ids sort by time and
 * prune by range), then the Bull job id (job ids restart with an emptied Redis, times do not).
 */
export function batchId(job: UsageJob, jobId: string): string {
  return `${new Date(batchTime(job.time)).toISOString()}#${jobId}`.slice(0, 64);
}

export interface UsageBatchResult {
  /** `stats` rows the batch touched; 0 when it had been added before (a retry). */
  rows: number;
  influx: 'written' | 'queued' | 'dropped' | 'disabled';
}

/**
 * Handles each `v1-usage` batch: its counts are added to MariaDB `stats` (what the usage routes
 * read) exactly once, then its points go to InfluxDB when it is there (InfluxSink). InfluxDB being
 * away never fails a batch and loses no count. With `_APP_USAGE_STATS=disabled` batches are ignored.
 * A MariaDB failure throws, so Bull retries the batch (the `stats_batches` id makes that safe).
 */
@Injectable()
export class UsagePointsHandler implements JobHandler<QueueName.Usage> {
  private readonly enabled: boolean;

  constructor(
    config: AppConfig,
    private readonly sink: InfluxSink,
    private readonly stats: StatsRepository,
  ) {
    this.enabled = config.get('usage').enabled;
  }

  async handle(job: UsageJob, context: JobContext): Promise<UsageBatchResult> {
    if (!this.enabled) return { rows: 0, influx: 'disabled' };
    const rows = batchRows(job);
    const added = await this.stats.addBatch(batchId(job, context.jobId), rows);
    const influx = await this.sink.write(batchPoints(job, context.jobId));
    return { rows: added ? rows.length : 0, influx };
  }
}
