import { Module } from '@nestjs/common';

import { BucketsController } from './buckets.controller';
import { FilesController } from './files.controller';
import { LegacyFilesController } from './legacy-files.controller';
import { MultipartHook } from './multipart.hook';
import { StorageModule } from './storage.module';

/** The Storage service of the REST API (buckets, files, uploads, download and view). */
@Module({
  imports: [StorageModule],
  controllers: [BucketsController, FilesController, LegacyFilesController],
  providers: [MultipartHook],
})
export class StorageApiModule {}
