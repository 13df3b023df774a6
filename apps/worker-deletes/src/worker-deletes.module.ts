import { Module } from '@nestjs/common';
import { CertificateDeletesModule } from '@appconda/certificates';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { DatabasesModule } from '@appconda/databases';
import { MaintenanceDeletesModule } from '@appconda/maintenance';
import { ProjectsModule } from '@appconda/projects';
import { QueueModule } from '@appconda/queue';
import { StorageModule } from '@appconda/storage';
import { RedisModule } from '@appconda/transport';
import { UsageDeletesModule } from '@appconda/usage';

import { DeletesProcessor } from './deletes.processor';

/**
 * Consumes QueueName.Deletes. Jobs are routed by type to the `@HandlesJob(QueueName.Deletes, …)`
 * providers of the capability modules imported here; a new capability adds its module to `imports`.
 */
@Module({
  imports: [DatabaseModule.forRoot(), RedisModule, QueueModule.forWorker(QueueName.Deletes, { dispatchByType: true }), CertificateDeletesModule, DatabasesModule, MaintenanceDeletesModule, ProjectsModule, StorageModule, UsageDeletesModule],
  providers: [DeletesProcessor],
})
export class WorkerDeletesModule {}
