import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { FunctionsProcessor } from './functions.processor';

/** Consumes QueueName.Functions; the feature module that provides its JobHandler joins `imports` when it lands. */
@Module({ imports: [QueueModule.forWorker(QueueName.Functions)], providers: [FunctionsProcessor] })
export class WorkerFunctionsModule {}
