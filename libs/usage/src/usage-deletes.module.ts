import { Module } from '@nestjs/common';

import { InfluxClient } from './influx.client';
import { UsageDeletesHandler } from './usage-deletes.handler';
import { InfluxSink } from './influx.sink';

/**
 * Usage's deletes-queue handler (project, database, collection and bucket cascades), registered with
 * `@HandlesJob` for worker-deletes' dispatch. Needs the app's global DatabaseModule.forRoot() and ConfigModule.
 */
@Module({
  providers: [InfluxClient, InfluxSink, UsageDeletesHandler],
  exports: [UsageDeletesHandler],
})
export class UsageDeletesModule {}
