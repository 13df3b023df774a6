import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { ProjectsModule } from '@appconda/projects';
import { QueueModule } from '@appconda/queue';
import { StorageModule } from '@appconda/storage';

import { DeletesProcessor } from './deletes.processor';

/**
 * Consumes QueueName.Deletes. Jobs are routed by type to the `@HandlesJob(QueueName.Deletes, …)`
 * providers of the capability modules imported here; a new capability adds its module to `imports`.
 */
@Module({
  imports: [DatabaseModule.forRoot(), QueueModule.forWorker(QueueName.Deletes, { dispatchByType: true }), ProjectsModule, StorageModule],
  providers: [DeletesProcessor],
})
export class WorkerDeletesModule {}
