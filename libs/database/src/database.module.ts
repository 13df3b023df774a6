import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { DataSource } from 'typeorm';

import { acquireSharedDatabase, SharedDatabase } from './database.connections';
import { Database } from './database.service';
import { DatabaseOptions, settingsFromConfig } from './database.settings';
import { MARIADB_POOL, SHARED_DATABASE } from './database.tokens';
import { REPOSITORIES } from './repositories';

/**
 * The database for a service: `imports: [DatabaseModule.forRoot()]`. On startup it creates the schema
 * `_APP_DB_SCHEMA` if missing and applies pending migrations (under a MariaDB lock, so services may
 * start together), then provides the DataSource, the raw pool, `Database` and every repository.
 * All Nest apps in one process share one DataSource and pool; each app's shutdown releases its
 * reference and the last one closes them.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SHARED_DATABASE) private readonly shared: SharedDatabase) {}

  static forRoot(options: DatabaseOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: SHARED_DATABASE, inject: [AppConfig], useFactory: (config: AppConfig) => acquireSharedDatabase(settingsFromConfig(config, options)) },
        { provide: DataSource, inject: [SHARED_DATABASE], useFactory: (shared: SharedDatabase) => shared.handle.dataSource },
        { provide: MARIADB_POOL, inject: [SHARED_DATABASE], useFactory: (shared: SharedDatabase) => shared.handle.pool },
        Database,
        ...REPOSITORIES,
      ],
      exports: [DataSource, MARIADB_POOL, Database, ...REPOSITORIES],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shared.release();
  }
}
