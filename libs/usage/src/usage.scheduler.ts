import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@appconda/config';
import { RecurringRun, serviceLogger } from '@appconda/core';

import { UsageAggregator } from './usage-aggregator.service';

const logger = serviceLogger('usage');
const FIRST_RUN_DELAY_MS = 1000;

/**
 * Drives UsageAggregator: shortly after boot, then every `_APP_USAGE_AGGREGATION_INTERVAL` seconds.
 * Runs never overlap, and shutdown waits for the one in progress (RecurringRun). Not started at all
 * with `_APP_USAGE_STATS=disabled`.
 */
@Injectable()
export class UsageScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly recurring: RecurringRun;

  private readonly enabled: boolean;

  constructor(
    private readonly aggregator: UsageAggregator,
    config: AppConfig,
    registry: SchedulerRegistry,
  ) {
    this.enabled = config.get('usage').enabled;
    this.recurring = new RecurringRun(registry, 'usage', () => this.aggregator.run(), (err) => logger.error({ event: 'usage_aggregation_failed', err }, 'usage aggregation failed'));
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      // _APP_USAGE_STATS=disabled: no counts are collected, so nothing is aggregated either.
      logger.info({ event: 'usage_disabled' }, 'usage statistics are disabled (_APP_USAGE_STATS): no aggregation');
      return;
    }
    const intervalMs = this.aggregator.intervalMs;
    this.recurring.start(Math.min(FIRST_RUN_DELAY_MS, intervalMs), intervalMs);
    logger.info({ event: 'usage_scheduled', intervalMs }, `usage aggregates every ${intervalMs / 1000} s`);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.recurring.stop();
  }

  /** One scheduled run; a run in progress makes the tick a no-op. Errors are logged, never thrown. */
  tick(): Promise<void> {
    return this.recurring.tick();
  }
}
