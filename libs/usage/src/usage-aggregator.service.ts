import { Inject, Injectable, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';
import { StatPeriod, StatRow, StatsRepository } from '@appconda/database';
import { IntervalLock, REDIS, REDIS_PREFIX } from '@appconda/transport';

import { InfluxSink } from './influx.sink';
import { GAUGE_METRICS, periodStart } from './usage.metrics';

const logger = serviceLogger('usage');

const PERIODS: readonly StatPeriod[] = ['1h', '1d'];

/** How long the ids of added batches are remembered (a Bull retry comes within minutes, a stalled job within hours). */
export const BATCH_MEMORY_MS = 3 * 86400_000;

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
  /** Stats rows written from table counts (0 when the counts were not due). */
  counts: number;
  /** Whether InfluxDB answers (it is optional). */
  influx: boolean;
  /** Batches written to InfluxDB from its backlog. */
  replayed: number;
}

/**
 * The usage service's periodic work (the request counters themselves are added to `stats` batch by
 * batch, see UsagePointsHandler):
 * - counts: every `_APP_USAGE_DATABASE_INTERVAL` the current number of users, databases,
 *   collections, documents, buckets, files and stored bytes is written into the current hour and day
 *   (gauges, as 1.3's usage database calculator; a count that dropped to nothing is written as 0);
 * - InfluxDB: finds out whether it is there (one warning when not) and replays the backlog once it is;
 * - forgets the ids of batches added more than `BATCH_MEMORY_MS` ago.
 * Scaled out, one instance per interval does the counts and the replay (IntervalLock on `<prefix>:usage:lock`).
 */
@Injectable()
export class UsageAggregator {
  private readonly lock: IntervalLock;
  private lastCounts = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly sink: InfluxSink,
    private readonly stats: StatsRepository,
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_PREFIX) prefix: string,
    @Optional() @Inject(USAGE_AGGREGATOR_OPTIONS) private readonly options: UsageAggregatorOptions = {},
  ) {
    this.lock = new IntervalLock(redis, `${prefix}:usage:lock`);
  }

  get intervalMs(): number {
    return this.options.intervalMs ?? this.config.get('usage').aggregationInterval * 1000;
  }

  private get countsIntervalMs(): number {
    return this.options.countsIntervalMs ?? this.config.get('usage').databaseInterval * 1000;
  }

  /** One run: InfluxDB's state (every instance), then under the interval's lock the counts when due, the replay and the pruning. */
  async run(now: Date = new Date()): Promise<AggregationRun> {
    const started = Date.now();
    const { slot, acquired } = await this.lock.acquire(now, this.intervalMs);
    if (!acquired) {
      const { available } = await this.sink.maintain(false);
      return { slot, ran: false, counts: 0, influx: available, replayed: 0 };
    }
    try {
      let counts = 0;
      if (now.getTime() - this.lastCounts >= this.countsIntervalMs) {
        counts = await this.snapshotCounts(now);
        this.lastCounts = now.getTime();
      }
      await this.stats.pruneBatches(new Date(now.getTime() - BATCH_MEMORY_MS));
      const { available, replayed } = await this.sink.maintain(true);
      logger.debug({ event: 'usage_aggregated', slot, counts, replayed, ms: Date.now() - started }, 'usage aggregated');
      return { slot, ran: true, counts, influx: available, replayed };
    } catch (error) {
      await this.lock.release(slot);
      throw error;
    }
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
