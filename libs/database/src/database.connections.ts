import { createConnection, createPool, Pool } from 'mariadb';
import { serviceLogger } from '@appconda/core';
import { DataSource } from 'typeorm';

import { quoteIdentifier, DatabaseSettings } from './database.settings';
import { ENTITIES } from './entities';
import { MigrationResult, MIGRATIONS, runMigrations } from './migrations';

/** An open database: the TypeORM DataSource, the raw pool for hot paths, and how to close both. */
export interface DatabaseHandle {
  settings: DatabaseSettings;
  dataSource: DataSource;
  pool: Pool;
  /** What the startup migration run applied. */
  migrations: MigrationResult;
  close(): Promise<void>;
}

function connectionOptions(settings: DatabaseSettings) {
  return { host: settings.host, port: settings.port, user: settings.user, password: settings.password };
}

/** Creates the schema when missing, then applies pending migrations under the migration lock. */
export async function prepareSchema(settings: DatabaseSettings): Promise<MigrationResult> {
  // A dedicated connection: the named lock belongs to the session, so it cannot come from a pool.
  const connection = await createConnection({ ...connectionOptions(settings), timezone: 'Z' });
  try {
    const schema = quoteIdentifier(settings.schema);
    await connection.query(`CREATE DATABASE IF NOT EXISTS ${schema} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.query(`USE ${schema}`);
    const started = Date.now();
    const result = await runMigrations(connection, settings.schema, MIGRATIONS);
    if (result.applied.length > 0) {
      serviceLogger('database').info({ event: 'migrated', schema: settings.schema, applied: result.applied, ms: Date.now() - started }, `applied ${result.applied.length} migration(s)`);
    }
    return result;
  } finally {
    await connection.end();
  }
}

/**
 * Opens a database that the caller owns (tests, CLI): prepares the schema, then opens the TypeORM
 * DataSource and the raw pool. Services use acquireSharedDatabase instead.
 */
export async function openDatabase(settings: DatabaseSettings, options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  const migrations = options.migrate === false ? { applied: [] } : await prepareSchema(settings);
  const dataSource = new DataSource({
    type: 'mariadb',
    ...connectionOptions(settings),
    username: settings.user,
    database: settings.schema,
    entities: ENTITIES,
    synchronize: false,
    migrationsRun: false,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    poolSize: settings.poolSize,
  });
  await dataSource.initialize();
  const pool = createPool({
    ...connectionOptions(settings),
    database: settings.schema,
    connectionLimit: settings.rawPoolSize,
    // Idle connections are released, so an idle process does not hold the whole budget.
    minimumIdle: 0,
    idleTimeout: 60,
    timezone: 'Z',
    insertIdAsNumber: true,
    // affectedRows counts changed rows, not matched ones, so an upsert's no-op is visible (audit idempotency).
    foundRows: false,
    bigIntAsNumber: true,
    charset: 'utf8mb4',
  });
  let closed: Promise<void> | undefined;
  return {
    settings,
    dataSource,
    pool,
    migrations,
    close() {
      closed ??= Promise.all([dataSource.destroy(), pool.end()]).then(() => undefined);
      return closed;
    },
  };
}

interface SharedEntry {
  handle: Promise<DatabaseHandle>;
  refs: number;
}

const shared = new Map<string, SharedEntry>();

function sharedKey(settings: DatabaseSettings): string {
  return `${settings.user}@${settings.host}:${settings.port}/${settings.schema}`;
}

/** A reference to the process-wide database; `release()` closes it when the last user lets go. */
export interface SharedDatabase {
  handle: DatabaseHandle;
  release(): Promise<void>;
}

/**
 * The process-wide database for these settings, opened (and migrated) once and reference counted:
 * in the one-process mode the fifteen services share one DataSource and one raw pool instead of
 * opening fifteen of each. The last `release()` closes them.
 */
export async function acquireSharedDatabase(settings: DatabaseSettings): Promise<SharedDatabase> {
  const key = sharedKey(settings);
  let entry = shared.get(key);
  if (!entry) {
    const created: SharedEntry = { handle: openDatabase(settings), refs: 0 };
    created.handle.catch(() => {
      if (shared.get(key) === created) shared.delete(key);
    });
    shared.set(key, created);
    entry = created;
  }
  entry.refs += 1;
  const owner = entry;
  let handle: DatabaseHandle;
  try {
    handle = await owner.handle;
  } catch (error) {
    owner.refs -= 1;
    throw error;
  }
  let released = false;
  return {
    handle,
    async release() {
      if (released) return;
      released = true;
      owner.refs -= 1;
      if (owner.refs > 0) return;
      if (shared.get(key) === owner) shared.delete(key);
      await handle.close();
    },
  };
}
