import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RecurringRun, serviceLogger } from '@appconda/core';

import { DEFAULT_FIRST_RUN_DELAY_MS, MAINTENANCE_OPTIONS, MaintenanceOptions } from './maintenance.options';
import { MaintenanceService } from './maintenance.service';

const logger = serviceLogger('maintenance');

/**
 * Drives MaintenanceService: once shortly after boot, then every `_APP_MAINTENANCE_INTERVAL` seconds.
 * Runs never overlap, and shutdown waits for the one in progress (RecurringRun).
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly recurring: RecurringRun;

  constructor(
    registry: SchedulerRegistry,
    private readonly service: MaintenanceService,
    @Optional() @Inject(MAINTENANCE_OPTIONS) private readonly options: MaintenanceOptions = {},
  ) {
    this.recurring = new RecurringRun(registry, 'maintenance', () => this.service.run(), (err) => logger.error({ event: 'maintenance_failed', err }, 'maintenance run failed'));
  }

  onApplicationBootstrap(): void {
    const intervalMs = this.service.intervalMs;
    this.recurring.start(this.options.firstRunDelayMs ?? DEFAULT_FIRST_RUN_DELAY_MS, intervalMs);
    logger.info({ event: 'maintenance_scheduled', intervalMs }, `maintenance runs every ${intervalMs / 1000} s`);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.recurring.stop();
  }

  /** One scheduled run; a run still in progress makes the next tick a no-op. Errors are logged, never thrown. */
  tick(): Promise<void> {
    return this.recurring.tick();
  }
}
