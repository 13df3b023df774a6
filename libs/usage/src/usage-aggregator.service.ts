import { Inject, Injectable, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';
import { StatPeriod, StatRow, StatsRepository } from '@appconda/database';
import { IntervalLock, REDIS, REDIS_PREFIX } from '@appconda/transport';

import { InfluxClient, quoteIdentifier } from './influx.client';
import { GAUGE_METRICS, PERIOD_SECONDS, periodStart, statKeys } from './usage.metrics';
import { USAGE_MEASUREMENT, UsagePointsHandler, usageDatabase } from './usage-points.handler';

const logger = serviceLogger('usage');

const PERIODS: readonly StatPeriod[] = ['1h', '1d'];

/** How far back the first aggregation after boot looks, per period (what the usage ranges can show). */
const CATCH_UP_MS: Readonly<Record<StatPeriod, number>> = { '1h': 24 * 3600_000, '1d': 90 * 86400_000 };

export interface UsageAggregatorOptions {
  /** Aggregation interval in ms; default `_APP_USAGE_AGGREGATION_INTERVAL` seconds. */
  intervalMs?: number;
  /** How often the counts are snapshotted, in ms; default `_APP_USAGE_DATABASE_INTERVAL` seconds. */
  countsIntervalMs?: number;
}

export const USAGE_AGGREGATOR_OPTIONS = Symbol('USAGE_AGGREGATOR_OPTIONS');

export interface AggregationRun {
  slot: number;
  /** False when another instance holds this interval's lock. */
  ran: boolean;
  /** Stats rows written from InfluxDB sums. */
  sums: number;
  /** Stats rows written from table counts (0 when the counts were not due). */
  counts: number;
}

/**
 * Moves usage from InfluxDB into the MariaDB `stats` table (Appwrite 1.3's usage task):
 * - sums: each run re-sums the current and the previous hour and day from InfluxDB (the whole
 *   visible history on the first run after boot) and writes them as absolute values, so a repeated
 *   run, a retried batch or a late one only ever corrects the rows;
 * - counts: every `_APP_USAGE_DATABASE_INTERVAL` the current number of users, databases,
 *   collections, documents, buckets, files and stored bytes is written into the current hour and day
 *   (gauges; a count that dropped to nothing is written as 0).
 * Scaled out, one instance per interval runs (IntervalLock on `<prefix>:usage:lock`).
 */
@Injectable()
export class UsageAggregator {
  private readonly lock: IntervalLock;
  private readonly database: string;
  private caughtUp = false;
  private lastCounts = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly influx: InfluxClient,
    private readonly points: UsagePointsHandler,
    private readonly stats: StatsRepository,
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_PREFIX) prefix: string,
    @Optional() @Inject(USAGE_AGGREGATOR_OPTIONS) private readonly options: UsageAggregatorOptions = {},
  ) {
    this.database = usageDatabase(config);
    this.lock = new IntervalLock(redis, `${prefix}:usage:lock`);
  }

  get intervalMs(): number {
    return this.options.intervalMs ?? this.config.get('usage').aggregationInterval * 1000;
  }

  private get countsIntervalMs(): number {
    return this.options.countsIntervalMs ?? this.config.get('usage').databaseInterval * 1000;
  }

  /** One run under the interval's lock: the sums, then the counts when they are due. */
  async run(now: Date = new Date()): Promise<AggregationRun> {
    const started = Date.now();
    const { slot, acquired } = await this.lock.acquire(now, this.intervalMs);
    if (!acquired) return { slot, ran: false, sums: 0, counts: 0 };
    try {
      const sums = await this.aggregateSums(now);
      let counts = 0;
      if (now.getTime() - this.lastCounts >= this.countsIntervalMs) {
        counts = await this.snapshotCounts(now);
        this.lastCounts = now.getTime();
      }
      logger.debug({ event: 'usage_aggregated', slot, sums, counts, ms: Date.now() - started }, 'usage aggregated');
      return { slot, ran: true, sums, counts };
    } catch (error) {
      await this.lock.release(slot);
      throw error;
    }
  }

  /** Re-sums the recent periods from InfluxDB into `stats`; resolves the number of rows written. */
  async aggregateSums(now: Date): Promise<number> {
    await this.points.ensureDatabase();
    const rows: StatRow[] = [];
    for (const period of PERIODS) {
      const previous = periodStart(period, now.getTime()) - PERIOD_SECONDS[period] * 1000;
      const since = this.caughtUp ? previous : periodStart(period, now.getTime() - CATCH_UP_MS[period]);
      const series = await this.influx.query(
        this.database,
        `SELECT sum(value) AS value FROM ${quoteIdentifier(USAGE_MEASUREMENT)} WHERE time >= ${since}ms GROUP BY time(${period}), * fill(none)`,
      );
      const sums = new Map<string, StatRow>();
      for (const { tags = {}, values } of series) {
        const { project, metric, ...labels } = tags;
        if (!project || !metric) continue;
        const keys = statKeys(metric, labels);
        for (const [time, value] of values) {
          for (const key of keys) {
            const id = `${project}\u0000${key}\u0000${time}`;
            const row = sums.get(id) ?? { projectId: project, metric: key, period, time: new Date(Number(time)), value: 0 };
            row.value += Number(value ?? 0);
            sums.set(id, row);
          }
        }
      }
      rows.push(...sums.values());
    }
    await this.stats.upsert(rows);
    this.caughtUp = true;
    return rows.length;
  }

  /** Writes the current counts into the current hour and day; resolves the number of rows written. */
  async snapshotCounts(now: Date): Promise<number> {
    const counts = await this.stats.resourceCounts();
    const current = new Set(counts.map((count) => `${count.projectId}\u0000${count.metric}`));
    const rows: StatRow[] = [];
    for (const period of PERIODS) {
      const time = new Date(periodStart(period, now.getTime()));
      for (const count of counts) rows.push({ ...count, period, time });
      // A resource whose rows are all gone has no count any more: its gauge drops to 0.
      for (const key of await this.stats.keysAt(period, time, GAUGE_METRICS)) {
        if (!current.has(`${key.projectId}\u0000${key.metric}`)) rows.push({ ...key, period, time, value: 0 });
      }
    }
    await this.stats.upsert(rows);
    return rows.length;
  }
}
