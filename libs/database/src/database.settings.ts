import { AppConfig } from '@appconda/config';

/** The reserved project that owns the console's own data (its users, teams, and the projects table). */
export const CONSOLE_PROJECT_ID = 'console';

/** Where and how to connect; built from `config.get('db')`. */
export interface DatabaseSettings {
  host: string;
  port: number;
  schema: string;
  user: string;
  password: string;
  /**
   * Connections in the TypeORM pool. Small on purpose: in the one-process mode every service shares
   * the same process-wide pool (see acquireSharedDatabase), so this is the whole process's budget.
   */
  poolSize: number;
  /** Connections in the raw `mariadb` pool used by hot paths (audit inserts, permission checks). */
  rawPoolSize: number;
}

export interface DatabaseOptions {
  poolSize?: number;
  rawPoolSize?: number;
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_RAW_POOL_SIZE = 10;

export function settingsFromConfig(config: AppConfig, options: DatabaseOptions = {}): DatabaseSettings {
  const db = config.get('db');
  return {
    host: db.host,
    port: db.port,
    schema: db.schema,
    user: db.user,
    password: db.password,
    poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
    rawPoolSize: options.rawPoolSize ?? DEFAULT_RAW_POOL_SIZE,
  };
}

/** Backtick-quotes an identifier (schema, table, column); rejects anything outside the safe set. */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(name)) throw new Error(`unsafe SQL identifier "${name}"`);
  return `\`${name}\``;
}
