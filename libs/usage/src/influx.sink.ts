import { Inject, Injectable, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';
import { REDIS, REDIS_PREFIX } from '@appconda/transport';

import { InfluxClient, InfluxPoint, isInfluxUnavailable, toLine } from './influx.client';

const logger = serviceLogger('usage');

/**
 * How long InfluxDB keeps the raw points (the default retention policy of the usage database, set
 * when the database is first used). The charts read MariaDB `stats`; InfluxDB is the raw-point sink
 * for dashboards and exports, so 100 days of points in one-day shard groups is plenty.
 */
export const USAGE_POINTS_RETENTION_DAYS = 100;

/**
 * The InfluxDB database of this installation: named after `_APP_REDIS_PREFIX`, so installations (and
 * parallel test runs) sharing one InfluxDB stay apart exactly as they do in Redis.
 */
export function usageDatabase(config: AppConfig): string {
  return config.get('redisPrefix');
}

export interface InfluxSinkOptions {
  /** While InfluxDB is away, how often it is tried again, in ms (default 30 s). */
  probeIntervalMs?: number;
  /** How many batches the backlog keeps at most (default 10,000; the oldest go first). */
  backlogMax?: number;
}

export const INFLUX_SINK_OPTIONS = Symbol('INFLUX_SINK_OPTIONS');

const DEFAULT_PROBE_INTERVAL_MS = 30_000;
const DEFAULT_BACKLOG_MAX = 10_000;
/** Backlog entries written per request, and requests per tick, when InfluxDB is back. */
const REPLAY_CHUNK = 20;
const REPLAY_CHUNKS_PER_TICK = 50;

type State = 'unknown' | 'up' | 'down';

/**
 * What this process knows of each InfluxDB (by address): shared by every sink of the process, so
 * `appconda all` (the usage service and worker-deletes in one process) warns once, not once per sink.
 */
interface Health {
  state: State;
  nextProbe: number;
}
const HEALTH = new Map<string, Health>();

/**
 * InfluxDB as an optional sink of the usage points. The counts the usage routes read live in MariaDB
 * `stats` whatever happens here; this class only decides whether, and when, points also go to InfluxDB:
 * - while InfluxDB answers, points are written as they come (database and retention made on first use);
 * - when it does not (refused, unresolvable, timed out, 5xx), ONE warning is logged and it is tried
 *   again every `probeIntervalMs`, not on every batch; ONE line says when it is back;
 * - meanwhile, in an installation that has reached InfluxDB before (a Redis marker), the batches'
 *   lines wait in a bounded Redis list and are replayed once it is back. Point times are fixed per
 *   batch, so a replay (or a batch written twice) overwrites instead of adding. An installation that
 *   never had InfluxDB (a laptop) keeps no backlog.
 */
@Injectable()
export class InfluxSink {
  readonly database: string;
  private readonly health: Health;
  private ready: Promise<void> | undefined;
  private seen = false;
  private rejectedWarned = false;
  private backlogFullWarned = false;
  private readonly keys: { backlog: string; seen: string };

  constructor(
    config: AppConfig,
    private readonly influx: InfluxClient,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
    @Optional() @Inject(REDIS_PREFIX) prefix?: string,
    @Optional() @Inject(INFLUX_SINK_OPTIONS) private readonly options: InfluxSinkOptions = {},
  ) {
    this.database = usageDatabase(config);
    this.health = HEALTH.get(influx.address) ?? { state: 'unknown', nextProbe: 0 };
    HEALTH.set(influx.address, this.health);
    const base = `${prefix ?? config.get('redisPrefix')}:usage:influx`;
    this.keys = { backlog: `${base}:backlog`, seen: `${base}:seen` };
  }

  /** False while InfluxDB is known to be away. */
  get available(): boolean {
    return this.health.state !== 'down';
  }

  /**
   * Runs `work` on InfluxDB (its database ensured first), unless InfluxDB is known to be away and not
   * due for another try. Resolves undefined when InfluxDB is not there; rethrows any other error.
   */
  async run<T>(work: (database: string) => Promise<T>): Promise<T | undefined> {
    if (this.health.state === 'down' && Date.now() < this.health.nextProbe) return undefined;
    try {
      await this.ensureDatabase();
      const result = await work(this.database);
      await this.markUp();
      return result;
    } catch (error) {
      if (!isInfluxUnavailable(error)) throw error;
      this.markDown(error);
      return undefined;
    }
  }

  /**
   * The points of one batch: written now, kept in the backlog while InfluxDB is away, or dropped when
   * there is no backlog (never had InfluxDB) or InfluxDB refused them (a 4xx: logged once). Never throws
   * because of InfluxDB: the batch's counts are in MariaDB already.
   */
  async write(points: readonly InfluxPoint[]): Promise<'written' | 'queued' | 'dropped'> {
    if (points.length === 0) return 'written';
    const lines = points.map(toLine).join('\n');
    try {
      if (await this.run(async (database) => (await this.influx.writeLines(database, lines), true))) {
        this.rejectedWarned = false;
        return 'written';
      }
    } catch (err) {
      // InfluxDB is there but refused the request (a dropped database, a bad point): ensure it again next time.
      this.ready = undefined;
      if (!this.rejectedWarned) logger.warn({ event: 'usage_influxdb_rejected', err }, 'InfluxDB refused usage points; they are kept in MariaDB only');
      this.rejectedWarned = true;
      return 'dropped';
    }
    return (await this.enqueue(lines)) ? 'queued' : 'dropped';
  }

  /**
   * The usage service's tick: tries InfluxDB when its state is unknown or a retry is due (so its
   * absence is reported once at boot, not at the first request), and with `replay` writes the backlog
   * once it is there. Resolves whether InfluxDB is available and how many batches were replayed.
   */
  async maintain(replay: boolean): Promise<{ available: boolean; replayed: number }> {
    if (this.health.state !== 'up') await this.run((database) => this.influx.ping().then(() => database));
    const replayed = replay && this.health.state === 'up' ? await this.replay() : 0;
    return { available: this.health.state === 'up', replayed };
  }

  /** How many batches wait in the backlog. */
  async backlog(): Promise<number> {
    return this.redis ? this.redis.llen(this.keys.backlog) : 0;
  }

  /** Creates the database and sets its retention once per process; a failure is retried by the next call. */
  private ensureDatabase(): Promise<void> {
    this.ready ??= (async () => {
      await this.influx.createDatabase(this.database);
      await this.influx.ensureRetention(this.database, USAGE_POINTS_RETENTION_DAYS);
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private markDown(err: unknown): void {
    this.health.nextProbe = Date.now() + (this.options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS);
    this.ready = undefined;
    if (this.health.state === 'down') return;
    const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    logger.warn(
      { event: 'usage_influxdb_unavailable', address: this.influx.address, reason },
      `InfluxDB at ${this.influx.address} is not reachable (${reason}): usage statistics are kept in MariaDB only until it answers`,
    );
    this.health.state = 'down';
  }

  private async markUp(): Promise<void> {
    if (this.health.state === 'down') logger.info({ event: 'usage_influxdb_back', address: this.influx.address }, `InfluxDB at ${this.influx.address} is back: usage points go to it again`);
    this.health.state = 'up';
    if (!this.seen && this.redis) {
      await this.redis.set(this.keys.seen, '1');
      this.seen = true;
    }
  }

  /** Appends a batch's lines to the backlog when this installation has used InfluxDB before; resolves whether it did. */
  private async enqueue(lines: string): Promise<boolean> {
    if (!this.redis) return false;
    this.seen ||= (await this.redis.exists(this.keys.seen)) === 1;
    if (!this.seen) return false;
    const max = this.options.backlogMax ?? DEFAULT_BACKLOG_MAX;
    const [[, length]] = (await this.redis.multi().rpush(this.keys.backlog, lines).ltrim(this.keys.backlog, -max, -1).exec()) as [[Error | null, number]];
    if (length > max && !this.backlogFullWarned) {
      logger.warn({ event: 'usage_influxdb_backlog_full', max }, `InfluxDB backlog full (${max} batches): the oldest points will not reach InfluxDB (MariaDB keeps every count)`);
      this.backlogFullWarned = true;
    }
    return true;
  }

  /** Writes backlog entries to InfluxDB, oldest first; an entry InfluxDB refuses (4xx) is dropped. */
  private async replay(): Promise<number> {
    if (!this.redis) return 0;
    let replayed = 0;
    for (let round = 0; round < REPLAY_CHUNKS_PER_TICK && this.health.state === 'up'; round++) {
      // LPOP takes entries atomically, so replicas replaying at once never write one entry twice.
      const entries = await this.redis.lpop(this.keys.backlog, REPLAY_CHUNK);
      if (!entries?.length) break;
      const written = await this.writeEntries(entries);
      if (written === undefined) {
        await this.redis.lpush(this.keys.backlog, ...[...entries].reverse());
        break;
      }
      replayed += entries.length;
    }
    if (replayed > 0) {
      this.backlogFullWarned = false;
      logger.info({ event: 'usage_influxdb_replayed', batches: replayed }, `${replayed} usage batches written to InfluxDB from the backlog`);
    }
    return replayed;
  }

  /** Resolves the entries written (refused ones dropped), or undefined when InfluxDB went away. */
  private async writeEntries(entries: string[]): Promise<number | undefined> {
    try {
      return await this.run(async (database) => {
        await this.influx.writeLines(database, entries.join('\n'));
        return entries.length;
      });
    } catch {
      let written = 0;
      for (const entry of entries) {
        try {
          if (!(await this.run(async (database) => (await this.influx.writeLines(database, entry), true)))) return undefined;
          written += 1;
        } catch (err) {
          logger.warn({ event: 'usage_influxdb_rejected', err }, 'InfluxDB refused a backlog entry; dropped (MariaDB keeps its counts)');
        }
      }
      return written;
    }
  }
}
