import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { FunctionsWorkerModule } from '@appconda/functions';
import { QueueModule } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';
import { UsageCollectorModule } from '@appconda/usage';

import { FunctionsProcessor } from './functions.processor';

/** Consumes QueueName.Functions: async, event-triggered and scheduled executions (FunctionsJobHandler). */
@Module({ imports: [DatabaseModule.forRoot(), RedisModule, UsageCollectorModule, QueueModule.forWorker(QueueName.Functions), FunctionsWorkerModule], providers: [FunctionsProcessor] })
export class WorkerFunctionsModule {}
