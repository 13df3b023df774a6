import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { QueueName } from '@appconda/contracts';
import { jobHandlerToken, QueueModule } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';

import { InfluxClient } from './influx.client';
import { USAGE_AGGREGATOR_OPTIONS, UsageAggregator, UsageAggregatorOptions } from './usage-aggregator.service';
import { UsagePointsHandler } from './usage-points.handler';
import { UsageScheduler } from './usage.scheduler';

/**
 * The usage service's work: consumes `v1-usage` batches into InfluxDB (the app adds the processor)
 * and aggregates InfluxDB and table counts into `stats` on an interval. Needs the app's
 * DatabaseModule.forRoot() and ConfigModule.
 */
@Module({})
export class UsageWorkerModule {
  static forRoot(options: UsageAggregatorOptions = {}): DynamicModule {
    return {
      module: UsageWorkerModule,
      imports: [ScheduleModule.forRoot(), QueueModule.forWorker(QueueName.Usage), RedisModule],
      providers: [
        { provide: USAGE_AGGREGATOR_OPTIONS, useValue: options },
        InfluxClient,
        UsagePointsHandler,
        { provide: jobHandlerToken(QueueName.Usage), useExisting: UsagePointsHandler },
        UsageAggregator,
        UsageScheduler,
      ],
      exports: [InfluxClient, UsageAggregator, UsagePointsHandler, jobHandlerToken(QueueName.Usage)],
    };
  }
}
