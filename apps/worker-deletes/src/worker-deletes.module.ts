import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { DeletesProcessor } from './deletes.processor';

/** Consumes QueueName.Deletes; the feature module that provides its JobHandler joins `imports` when it lands. */
@Module({ imports: [QueueModule.forWorker(QueueName.Deletes)], providers: [DeletesProcessor] })
export class WorkerDeletesModule {}
