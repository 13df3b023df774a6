import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { DatabasesModule } from '@appconda/databases';
import { QueueModule } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';

import { DatabasesProcessor } from './databases.processor';

/**
 * Consumes QueueName.Databases: DatabasesModule binds the JobHandler that alters the real collection
 * tables (columns, relationships, indexes) and settles attribute/index statuses.
 */
@Module({
  imports: [DatabaseModule.forRoot(), RedisModule, QueueModule.forWorker(QueueName.Databases), DatabasesModule],
  providers: [DatabasesProcessor],
})
export class WorkerDatabasesModule {}
