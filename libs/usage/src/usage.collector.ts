import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { QueueName, UsagePoint } from '@appconda/contracts';
import { serviceLogger, UsageRecorder } from '@appconda/core';
import { CONSOLE_PROJECT_ID } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';

import { NETWORK_METRIC, REQUESTS_METRIC } from './usage.metrics';

const logger = serviceLogger('usage');

/** Options of the collector; tests shorten the interval. */
export interface UsageCollectorOptions {
  /** How often the counters go to the queue, in ms; default 1000. */
  flushIntervalMs?: number;
}

export const USAGE_COLLECTOR_OPTIONS = Symbol('USAGE_COLLECTOR_OPTIONS');

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The API side of usage: counts in memory, per (project, metric, labels), and hands everything
 * counted during an interval to the usage service as ONE `v1-usage` job. Counting is a Map lookup and
 * an addition, nothing more; the request never waits for Redis. On shutdown (the shutdown registry
 * closes the app) the last counts are flushed before the queue closes. A flush that cannot enqueue
 * puts its counts back for the next try, so a short Redis outage loses nothing (memory is bounded by
 * the number of distinct keys, not of requests).
 */
@Injectable()
export class UsageCollector implements UsageRecorder, OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private counters = new Map<string, UsagePoint>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly enabled: boolean;

  constructor(
    config: AppConfig,
    @InjectJobQueue(QueueName.Usage) private readonly queue: JobQueue<QueueName.Usage>,
    @Optional() @Inject(USAGE_COLLECTOR_OPTIONS) private readonly options: UsageCollectorOptions = {},
  ) {
    this.enabled = config.get('usage').enabled;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Flushes while the queue is still open (Bull closes its queues in the shutdown phase after this one). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Counts that arrived while the HTTP server drained, best effort. */
  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  request(projectId: string, inbound: number, outbound: number): void {
    if (!this.counts(projectId)) return;
    this.add(projectId, REQUESTS_METRIC, NO_LABELS, 1, `${projectId}\u0000${REQUESTS_METRIC}`);
    const bytes = inbound + outbound;
    if (bytes > 0) this.add(projectId, NETWORK_METRIC, NO_LABELS, bytes, `${projectId}\u0000${NETWORK_METRIC}`);
  }

  metric(projectId: string, metric: string, labels: Record<string, string>, value = 1): void {
    if (!this.counts(projectId)) return;
    let key = `${projectId}\u0000${metric}`;
    for (const name in labels) key += `\u0000${name}=${labels[name]}`;
    this.add(projectId, metric, labels, value, key);
  }

  /** How many distinct counters wait for the next flush. */
  get pending(): number {
    return this.counters.size;
  }

  /** Enqueues what was counted since the last flush as one job; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async send(): Promise<void> {
    if (this.counters.size === 0) return;
    const batch = this.counters;
    this.counters = new Map();
    const points = [...batch.values()];
    try {
      await this.queue.add({ time: new Date().toISOString(), points });
    } catch (err) {
      // Put the counts back: the next flush sends them with whatever came in meanwhile.
      for (const [key, point] of batch) this.add(point.projectId, point.metric, point.labels, point.value, key);
      logger.warn({ event: 'usage_flush_failed', points: points.length, err }, 'usage counters could not be enqueued; retrying on the next flush');
    }
  }

  private counts(projectId: string): boolean {
    // The console's own traffic is not project usage (Appwrite 1.3 counts project requests only).
    return this.enabled && projectId !== '' && projectId !== CONSOLE_PROJECT_ID;
  }

  private add(projectId: string, metric: string, labels: Readonly<Record<string, string>>, value: number, key: string): void {
    const point = this.counters.get(key);
    if (point) point.value += value;
    else this.counters.set(key, { projectId, metric, labels: { ...labels }, value });
  }
}
