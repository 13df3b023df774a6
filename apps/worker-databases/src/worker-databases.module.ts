import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { DatabasesModule } from '@appconda/databases';
import { QueueModule } from '@appconda/queue';
import { EventBusModule, RedisModule } from '@appconda/transport';

import { DatabasesProcessor } from './databases.processor';

/**
 * Consumes QueueName.Databases: DatabasesModule binds the JobHandler that alters the real collection
 * tables (columns, relationships, indexes) and settles attribute/index statuses; EventBusModule carries
 * the console's `…attributes.[id].update` / `…indexes.[id].update` events.
 */
@Module({
  imports: [DatabaseModule.forRoot(), RedisModule, EventBusModule, QueueModule.forWorker(QueueName.Databases), DatabasesModule],
  providers: [DatabasesProcessor],
})
export class WorkerDatabasesModule {}
