import { Module } from '@nestjs/common';
import { AppConfig } from '@appconda/config';

import { createUploadsDevice } from './devices/device.factory';
import { FileAccess } from './file-access';
import { FilesService } from './files.service';
import { StorageCleanupService } from './storage-cleanup.service';
import { StorageDeletesHandler } from './storage-deletes.handler';
import { UPLOADS_DEVICE } from './storage.tokens';
import { UploadService } from './upload.service';

/**
 * Storage providers without HTTP, usable from workers: the uploads device, file reading (previews),
 * uploads, cleanup and the deletes-worker handler (`@HandlesJob` for buckets and projects).
 */
@Module({
  providers: [
    { provide: UPLOADS_DEVICE, useFactory: createUploadsDevice, inject: [AppConfig] },
    FileAccess,
    FilesService,
    StorageCleanupService,
    StorageDeletesHandler,
    UploadService,
  ],
  exports: [UPLOADS_DEVICE, FileAccess, FilesService, StorageCleanupService, StorageDeletesHandler, UploadService],
})
export class StorageModule {}
