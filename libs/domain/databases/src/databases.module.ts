import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { jobHandlerToken } from '@appconda/queue';

import { CollectionSchemaService } from './collection-schema.service';
import { DatabasesDeletesHandler } from './databases-deletes.handler';
import { DatabasesTeardownService } from './databases-teardown.service';
import { DatabasesJobHandler } from './databases.handler';
import { SchemaDdlService } from './schema-ddl.service';

const DATABASES_HANDLER = jobHandlerToken(QueueName.Databases);

/**
 * Providers of the Databases capability that the API and the workers share: the collection schema
 * cache, the DDL on real tables, worker-databases' JobHandler (bound to `jobHandlerToken(QueueName.Databases)`)
 * and the handler of the deletes queue's `databases`/`collections` types (DatabasesDeletesHandler, for
 * worker-deletes' dispatch). Needs the global DatabaseModule.forRoot() and RedisModule.
 */
@Module({
  providers: [CollectionSchemaService, DatabasesDeletesHandler, DatabasesJobHandler, DatabasesTeardownService, SchemaDdlService, { provide: DATABASES_HANDLER, useExisting: DatabasesJobHandler }],
  exports: [CollectionSchemaService, DatabasesDeletesHandler, DatabasesJobHandler, DatabasesTeardownService, SchemaDdlService, DATABASES_HANDLER],
})
export class DatabasesModule {}
