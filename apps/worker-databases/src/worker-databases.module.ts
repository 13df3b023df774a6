import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { DatabasesProcessor } from './databases.processor';

/** Consumes QueueName.Databases; the feature module that provides its JobHandler joins `imports` when it lands. */
@Module({ imports: [QueueModule.forWorker(QueueName.Databases)], providers: [DatabasesProcessor] })
export class WorkerDatabasesModule {}
