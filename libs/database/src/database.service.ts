import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'mariadb';
import { DataSource, EntityManager } from 'typeorm';

import { MARIADB_POOL } from './database.tokens';

/** Transactions and raw access for the few callers that need them; everything else goes through repositories. */
@Injectable()
export class Database {
  constructor(
    @Inject(MARIADB_POOL) readonly pool: Pool,
    readonly dataSource: DataSource,
  ) {}

  /**
   * Runs `work` in one transaction: commits when it resolves, rolls back when it throws. Bind
   * repositories to it with `repository.with(manager)`.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
