import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { BuildsWorkerModule } from '@appconda/functions';
import { QueueModule } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';
import { UsageCollectorModule } from '@appconda/usage';

import { BuildsProcessor } from './builds.processor';

/** Consumes QueueName.Builds: each job builds one deployment on the executor (BuildsJobHandler). */
@Module({ imports: [DatabaseModule.forRoot(), RedisModule, UsageCollectorModule, QueueModule.forWorker(QueueName.Builds), BuildsWorkerModule], providers: [BuildsProcessor] })
export class WorkerBuildsModule {}
