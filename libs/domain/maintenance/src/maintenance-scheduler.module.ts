import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';

import { MAINTENANCE_OPTIONS, MaintenanceOptions } from './maintenance.options';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { MaintenanceService } from './maintenance.service';

/**
 * The maintenance app's work: the interval job that enqueues retention deletes jobs and due certificate
 * renewals (it deletes and orders nothing itself). Needs the app's global DatabaseModule.forRoot() (to list
 * projects and certificates) and ConfigModule.
 */
@Module({})
export class MaintenanceSchedulerModule {
  static forRoot(options: MaintenanceOptions = {}): DynamicModule {
    return {
      module: MaintenanceSchedulerModule,
      imports: [ScheduleModule.forRoot(), QueueModule.forProducer(QueueName.Deletes, QueueName.Certificates), RedisModule],
      providers: [{ provide: MAINTENANCE_OPTIONS, useValue: options }, MaintenanceService, MaintenanceScheduler],
      exports: [MaintenanceService, MaintenanceScheduler],
    };
  }
}
