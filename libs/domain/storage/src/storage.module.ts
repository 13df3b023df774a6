import { Module } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { BucketsService } from './buckets.service';
import { createUploadsDevice } from './devices/device.factory';
import { FileAccess } from './file-access';
import { FilesService } from './files.service';
import { StorageCleanupService } from './storage-cleanup.service';
import { UPLOADS_DEVICE } from './storage.tokens';
import { UploadService } from './upload.service';

/** Storage providers without HTTP (usable from workers: deletes, maintenance, previews). */
@Module({
  imports: [QueueModule.forProducer(QueueName.Deletes)],
  providers: [
    { provide: UPLOADS_DEVICE, useFactory: createUploadsDevice, inject: [AppConfig] },
    BucketsService,
    FileAccess,
    FilesService,
    StorageCleanupService,
    UploadService,
  ],
  exports: [UPLOADS_DEVICE, BucketsService, FileAccess, FilesService, StorageCleanupService, UploadService],
})
export class StorageModule {}
