import { Module } from '@nestjs/common';
import { DatabaseModule } from '@appconda/database';
import { UsageWorkerModule } from '@appconda/usage';

import { UsageProcessor } from './usage.processor';

/**
 * The usage tracker: adds the API's `v1-usage` counter batches to MariaDB `stats` (and writes their
 * points to InfluxDB when it runs) and, every `_APP_USAGE_AGGREGATION_INTERVAL` seconds, snapshots the
 * table counts and checks on InfluxDB.
 */
@Module({ imports: [DatabaseModule.forRoot(), UsageWorkerModule.forRoot()], providers: [UsageProcessor] })
export class UsageModule {}
