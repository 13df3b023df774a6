import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { serviceLogger } from '@appconda/core';

import { UsageAggregator } from './usage-aggregator.service';

const logger = serviceLogger('usage');
const FIRST_RUN = 'usage-first-run';
const INTERVAL = 'usage-interval';
const FIRST_RUN_DELAY_MS = 1000;

/**
 * Drives UsageAggregator: shortly after boot, then every `_APP_USAGE_AGGREGATION_INTERVAL` seconds.
 * Runs never overlap, and shutdown waits for the one in progress.
 */
@Injectable()
export class UsageScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<void> | undefined;

  constructor(
    private readonly aggregator: UsageAggregator,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.aggregator.intervalMs;
    this.registry.addTimeout(FIRST_RUN, setTimeout(() => void this.tick(), Math.min(FIRST_RUN_DELAY_MS, intervalMs)));
    this.registry.addInterval(INTERVAL, setInterval(() => void this.tick(), intervalMs));
    logger.info({ event: 'usage_scheduled', intervalMs }, `usage aggregates every ${intervalMs / 1000} s`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('timeout', FIRST_RUN)) this.registry.deleteTimeout(FIRST_RUN);
    if (this.registry.doesExist('interval', INTERVAL)) this.registry.deleteInterval(INTERVAL);
    await this.running;
  }

  /** One scheduled run; a run in progress makes the tick a no-op. Errors are logged, never thrown. */
  tick(): Promise<void> {
    this.running ??= this.aggregator
      .run()
      .then(() => undefined)
      .catch((err: unknown) => logger.error({ event: 'usage_aggregation_failed', err }, 'usage aggregation failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
