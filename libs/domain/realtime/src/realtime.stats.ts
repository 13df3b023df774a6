import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RealtimeEventMessage } from '@appconda/contracts';
import { serviceLogger, toApiDate } from '@appconda/core';
import { CONSOLE_PROJECT_ID, ProjectContextService } from '@appconda/identity';
import { HealthDetails, REDIS, REDIS_PREFIX } from '@appconda/transport';
import type Redis from 'ioredis';

import { RealtimeServer } from './realtime.server';

const logger = serviceLogger('realtime');

/** How often each process reports its counts and the console hears `stats.connections` (1.3: 5 s). */
export const REALTIME_STATS_INTERVAL = Symbol('REALTIME_STATS_INTERVAL');
const DEFAULT_INTERVAL_MS = 5000;

/**
 * Live connection counts per project across every realtime process. Each process writes its own counts
 * to a Redis hash that expires unless refreshed (a crashed replica drops out by itself) and lists itself
 * in a sorted set scored by that expiry; the sums go to console users subscribed to `project`, as 1.3's
 * `stats.connections` event, and the process's own figures answer its transport health check.
 */
@Injectable()
export class RealtimeStats implements HealthDetails, OnApplicationBootstrap, OnApplicationShutdown {
  readonly replicaId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
    private readonly projects: ProjectContextService,
    private readonly server: RealtimeServer,
    @Optional() @Inject(REALTIME_STATS_INTERVAL) intervalMs?: number,
  ) {
    this.intervalMs = intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.multi().del(this.countsKey(this.replicaId)).zrem(this.replicasKey(), this.replicaId).exec().catch(() => undefined);
  }

  details(): Record<string, unknown> {
    return { connections: this.server.size, subscribed: this.server.index.size, projects: Object.fromEntries(this.server.index.counts()), replica: this.replicaId, ...this.server.counters };
  }

  /** Open connections per project summed over every live realtime process. */
  async totals(): Promise<Map<string, number>> {
    const replicas = await this.redis.zrangebyscore(this.replicasKey(), Date.now(), '+inf');
    const totals = new Map<string, number>();
    if (!replicas.length) return totals;
    const pipeline = this.redis.pipeline();
    for (const replica of replicas) pipeline.hgetall(this.countsKey(replica));
    for (const [, counts] of (await pipeline.exec()) ?? []) {
      for (const [projectId, count] of Object.entries((counts ?? {}) as Record<string, string>)) totals.set(projectId, (totals.get(projectId) ?? 0) + Number(count));
    }
    return totals;
  }

  /** Writes this process's counts; public so tests and the first tick need not wait an interval. */
  async report(): Promise<void> {
    const key = this.countsKey(this.replicaId);
    const ttl = this.intervalMs * 3;
    const now = Date.now();
    const counts = this.server.index.counts();
    const write = this.redis.multi().del(key);
    if (counts.size) write.hset(key, Object.fromEntries(counts)).pexpire(key, ttl);
    await write.zadd(this.replicasKey(), now + ttl, this.replicaId).zremrangebyscore(this.replicasKey(), '-inf', now).exec();
  }

  private async tick(): Promise<void> {
    try {
      await this.report();
      if (this.server.index.hasChannel(CONSOLE_PROJECT_ID, 'project')) await this.pushToConsole();
      this.failing = false;
    } catch (err) {
      // One line per outage, not one per tick.
      if (!this.failing) logger.warn({ err }, 'could not share realtime connection counts');
      this.failing = true;
    }
  }

  /** 1.3's `stats.connections`: each project's live count, to its owning console team on channel `project`. */
  private async pushToConsole(): Promise<void> {
    const timestamp = toApiDate(new Date());
    for (const [projectId, count] of await this.totals()) {
      if (projectId === CONSOLE_PROJECT_ID) continue;
      const teamId = (await this.projects.find(projectId))?.teamId;
      if (!teamId) continue;
      const message: RealtimeEventMessage = { type: 'event', data: { events: ['stats.connections'], channels: ['project'], timestamp, payload: { [projectId]: count } } };
      this.server.deliver(CONSOLE_PROJECT_ID, [`team:${teamId}`], ['project'], Buffer.from(JSON.stringify(message)));
    }
  }

  private replicasKey(): string {
    return `${this.prefix}:realtime:replicas`;
  }

  private countsKey(replica: string): string {
    return `${this.prefix}:realtime:connections:${replica}`;
  }
}
