import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { serviceLogger } from '@appconda/core';

import { DEFAULT_FIRST_RUN_DELAY_MS, MAINTENANCE_OPTIONS, MaintenanceOptions } from './maintenance.options';
import { MaintenanceService } from './maintenance.service';

const logger = serviceLogger('maintenance');
const FIRST_RUN = 'maintenance-first-run';
const INTERVAL = 'maintenance-interval';

/**
 * Drives MaintenanceService with @nestjs/schedule: once shortly after boot, then every
 * `_APP_MAINTENANCE_INTERVAL` seconds. The interval comes from configuration, so it is registered
 * in the SchedulerRegistry at bootstrap instead of with a static `@Interval()`. Runs never overlap,
 * and shutdown waits for the one in progress.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<void> | undefined;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly service: MaintenanceService,
    @Optional() @Inject(MAINTENANCE_OPTIONS) private readonly options: MaintenanceOptions = {},
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.service.intervalMs;
    this.registry.addTimeout(FIRST_RUN, setTimeout(() => this.tick(), this.options.firstRunDelayMs ?? DEFAULT_FIRST_RUN_DELAY_MS));
    this.registry.addInterval(INTERVAL, setInterval(() => this.tick(), intervalMs));
    logger.info({ event: 'maintenance_scheduled', intervalMs }, `maintenance runs every ${intervalMs / 1000} s`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('timeout', FIRST_RUN)) this.registry.deleteTimeout(FIRST_RUN);
    if (this.registry.doesExist('interval', INTERVAL)) this.registry.deleteInterval(INTERVAL);
    await this.running;
  }

  /** One scheduled run; a run still in progress makes the next tick a no-op. Errors are logged, never thrown. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.service
      .run()
      .then(() => undefined)
      .catch((err: unknown) => logger.error({ event: 'maintenance_failed', err }, 'maintenance run failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
