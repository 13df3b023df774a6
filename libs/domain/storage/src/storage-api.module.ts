import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';
import { UsageStatsModule } from '@appconda/usage';

import { BucketsController } from './buckets.controller';
import { BucketsService } from './buckets.service';
import { FilesController } from './files.controller';
import { LegacyFilesController } from './legacy-files.controller';
import { MultipartHook } from './multipart.hook';
import { StorageModule } from './storage.module';
import { StorageUsageController } from './usage.controller';
import { StorageUsageService } from './usage.service';

/** The Storage service of the REST API (buckets, files, uploads, download and view). */
@Module({
  imports: [StorageModule, QueueModule.forProducer(QueueName.Deletes), UsageStatsModule],
  controllers: [BucketsController, FilesController, LegacyFilesController, StorageUsageController],
  providers: [BucketsService, MultipartHook, StorageUsageService],
})
export class StorageApiModule {}
