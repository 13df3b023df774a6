import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { BuildsProcessor } from './builds.processor';

/** Consumes QueueName.Builds; the feature module that provides its JobHandler joins `imports` when it lands. */
@Module({ imports: [QueueModule.forWorker(QueueName.Builds)], providers: [BuildsProcessor] })
export class WorkerBuildsModule {}
