import { Module } from '@nestjs/common';
import { StorageModule } from '@appconda/storage';

import { PreviewCache } from './preview.cache';
import { PreviewsController } from './previews.controller';
import { PreviewsService } from './previews.service';

/** Storage image previews of the REST API (`…/files/{fileId}/preview`, and the legacy path). */
@Module({
  imports: [StorageModule],
  controllers: [PreviewsController],
  providers: [PreviewCache, PreviewsService],
  exports: [PreviewCache, PreviewsService],
})
export class PreviewsApiModule {}
