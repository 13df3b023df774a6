import { Module } from '@nestjs/common';
import { DatabaseModule } from '@appconda/database';
import { UsageWorkerModule } from '@appconda/usage';

import { UsageProcessor } from './usage.processor';

/**
 * The usage tracker: consumes the API's `v1-usage` counter batches into InfluxDB and, every
 * `_APP_USAGE_AGGREGATION_INTERVAL` seconds, moves InfluxDB sums and table counts into MariaDB `stats`.
 */
@Module({ imports: [DatabaseModule.forRoot(), UsageWorkerModule.forRoot()], providers: [UsageProcessor] })
export class UsageModule {}
