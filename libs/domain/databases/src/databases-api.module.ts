import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';
import { UsageStatsModule } from '@appconda/usage';

import { AttributesController } from './attributes.controller';
import { AttributesService } from './attributes.service';
import { CollectionsController } from './collections.controller';
import { DatabasesController } from './databases.controller';
import { DatabasesModule } from './databases.module';
import { DatabasesService } from './databases.service';
import { IndexesController } from './indexes.controller';
import { IndexesService } from './indexes.service';
import { LogsService } from './logs.service';
import { UsageService } from './usage.service';

/** The /v1/databases routes except documents: databases, collections, attributes, indexes, logs, usage. */
@Module({
  imports: [DatabasesModule, QueueModule.forProducer(QueueName.Databases, QueueName.Deletes), UsageStatsModule],
  controllers: [DatabasesController, CollectionsController, AttributesController, IndexesController],
  providers: [AttributesService, DatabasesService, IndexesService, LogsService, UsageService],
  exports: [DatabasesModule, AttributesService, DatabasesService, IndexesService],
})
export class DatabasesApiModule {}
