import { Connection } from 'mariadb';

import { Migration } from './migration';

/** The table recording which migrations a schema has applied. */
export const MIGRATIONS_TABLE = '_migrations';

/** How long a starting service waits for another one that is migrating the same schema. */
const LOCK_TIMEOUT_SECONDS = 120;

export interface MigrationResult {
  /** Versions applied by this run (empty when the schema was already up to date). */
  applied: string[];
}

/** MariaDB lock names are at most 64 characters. */
function lockName(schema: string): string {
  return `appconda:migrate:${schema}`.slice(0, 64);
}

/**
 * Applies the pending migrations in version order. The whole run holds a MariaDB named lock
 * (`GET_LOCK`) taken on `connection`, which must be a dedicated connection (named locks belong to the
 * session), so services starting together queue up: the first migrates, the others then find
 * nothing to do. Each applied version is recorded in `_migrations`.
 */
export async function runMigrations(connection: Connection, schema: string, migrations: readonly Migration[]): Promise<MigrationResult> {
  const name = lockName(schema);
  const [row] = (await connection.query('SELECT GET_LOCK(?, ?) AS got', [name, LOCK_TIMEOUT_SECONDS])) as { got: number | bigint | null }[];
  if (Number(row?.got) !== 1) throw new Error(`timed out after ${LOCK_TIMEOUT_SECONDS}s waiting for the migration lock on schema "${schema}"`);
  try {
    await connection.query(
      `CREATE TABLE IF NOT EXISTS \`${MIGRATIONS_TABLE}\` (
        version VARCHAR(64) NOT NULL PRIMARY KEY,
        appliedAt DATETIME(3) NOT NULL
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    const rows = (await connection.query(`SELECT version FROM \`${MIGRATIONS_TABLE}\``)) as { version: string }[];
    const done = new Set(rows.map((r) => r.version));
    const applied: string[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version.localeCompare(b.version))) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await connection.query(statement);
      await connection.query(`INSERT INTO \`${MIGRATIONS_TABLE}\` (version, appliedAt) VALUES (?, UTC_TIMESTAMP(3))`, [migration.version]);
      applied.push(migration.version);
    }
    return { applied };
  } finally {
    await connection.query('SELECT RELEASE_LOCK(?)', [name]);
  }
}
