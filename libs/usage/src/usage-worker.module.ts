import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { QueueName } from '@appconda/contracts';
import { jobHandlerToken, QueueModule } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';

import { InfluxClient } from './influx.client';
import { INFLUX_SINK_OPTIONS, InfluxSink, InfluxSinkOptions } from './influx.sink';
import { USAGE_AGGREGATOR_OPTIONS, UsageAggregator, UsageAggregatorOptions } from './usage-aggregator.service';
import { UsagePointsHandler } from './usage-points.handler';
import { UsageScheduler } from './usage.scheduler';

/**
 * The usage service's work: adds each `v1-usage` batch to MariaDB `stats` and, when it is there,
 * writes its points to InfluxDB (the app adds the processor); snapshots the table counts on an
 * interval. Needs the app's DatabaseModule.forRoot() and ConfigModule.
 */
@Module({})
export class UsageWorkerModule {
  static forRoot(options: UsageAggregatorOptions & { influx?: InfluxSinkOptions } = {}): DynamicModule {
    return {
      module: UsageWorkerModule,
      imports: [ScheduleModule.forRoot(), QueueModule.forWorker(QueueName.Usage), RedisModule],
      providers: [
        { provide: USAGE_AGGREGATOR_OPTIONS, useValue: options },
        { provide: INFLUX_SINK_OPTIONS, useValue: options.influx ?? {} },
        InfluxClient,
        InfluxSink,
        UsagePointsHandler,
        { provide: jobHandlerToken(QueueName.Usage), useExisting: UsagePointsHandler },
        UsageAggregator,
        UsageScheduler,
      ],
      exports: [InfluxClient, InfluxSink, UsageAggregator, UsagePointsHandler, jobHandlerToken(QueueName.Usage)],
    };
  }
}
