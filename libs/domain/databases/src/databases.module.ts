import { Module } from '@nestjs/common';

import { CollectionSchemaService } from './collection-schema.service';

/**
 * Providers of the Databases capability that both the API and the workers use. Needs the global
 * DatabaseModule.forRoot() and RedisModule.
 */
@Module({
  providers: [CollectionSchemaService],
  exports: [CollectionSchemaService],
})
export class DatabasesModule {}
