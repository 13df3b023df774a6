import { Module } from '@nestjs/common';
import { DatabasesModule } from '@appconda/databases';

import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { DocumentsStore } from './documents.store';
import { RelationshipsService } from './relationships.service';

/**
 * The documents routes of /v1/databases. Needs the global DatabaseModule.forRoot() (raw pool) and
 * RedisModule (the collection schema cache of DatabasesModule).
 */
@Module({
  imports: [DatabasesModule],
  controllers: [DocumentsController],
  providers: [DocumentsService, DocumentsStore, RelationshipsService],
  exports: [DocumentsService],
})
export class DocumentsApiModule {}
