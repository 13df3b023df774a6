import { randomBytes } from 'node:crypto';
import { AppConfig } from '@appconda/config';
import { DatabaseHandle, DatabaseSettings, openDatabase, quoteIdentifier, settingsFromConfig } from '@appconda/database';
import { createConnection, Pool } from 'mariadb';
import { DataSource } from 'typeorm';

/** A fresh, unique name: `appconda_t_<random>`. */
export function testSchemaName(): string {
  return `appconda_t_${randomBytes(6).toString('hex')}`;
}

/** An AppConfig from the current environment plus overrides (e.g. a TestDatabase's `env`). */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return new AppConfig({ ...process.env, ...overrides });
}

/** Settings for `schema` on the machine's MariaDB, small pools. */
export function testDatabaseSettings(schema: string): DatabaseSettings {
  return { ...settingsFromConfig(testConfig({ _APP_DB_SCHEMA: schema })), poolSize: 4, rawPoolSize: 2 };
}

/** Drops a schema (idempotent). */
export async function dropSchema(settings: DatabaseSettings): Promise<void> {
  const connection = await createConnection({ host: settings.host, port: settings.port, user: settings.user, password: settings.password });
  try {
    await connection.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(settings.schema)}`);
  } finally {
    await connection.end();
  }
}

export interface TestDatabase {
  schema: string;
  /** Environment overrides that point a service at this schema. */
  env: Record<string, string>;
  config: AppConfig;
  settings: DatabaseSettings;
  handle: DatabaseHandle;
  dataSource: DataSource;
  pool: Pool;
  /** Closes the pools and drops the schema. */
  drop(): Promise<void>;
}

/** A fresh schema `appconda_t_<random>`, migrated and opened. Call `drop()` in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const schema = testSchemaName();
  const env = { _APP_DB_SCHEMA: schema };
  const settings = testDatabaseSettings(schema);
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase(settings);
  } catch (error) {
    await dropSchema(settings);
    throw error;
  }
  return {
    schema,
    env,
    config: testConfig(env),
    settings,
    handle,
    dataSource: handle.dataSource,
    pool: handle.pool,
    async drop() {
      await handle.close();
      await dropSchema(settings);
    },
  };
}
