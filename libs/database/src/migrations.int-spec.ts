import { createConnection } from 'mariadb';
import { createTestDatabase, dropSchema, testDatabaseSettings, testSchemaName, TestDatabase } from '@appconda/testing';

import { MIGRATIONS, MIGRATIONS_TABLE, prepareSchema } from './index';

const TABLES = ['audit', 'domains', 'keys', 'memberships', 'platforms', 'projects', 'sessions', 'teams', 'tokens', 'users', 'webhooks', MIGRATIONS_TABLE];

async function tablesOf(db: TestDatabase): Promise<string[]> {
  const rows = (await db.pool.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [db.schema])) as { name: string }[];
  return rows.map((row) => row.name).sort();
}

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('creates every internal table on first start and records each version', async () => {
    expect(db.handle.migrations.applied).toEqual(MIGRATIONS.map((m) => m.version));
    // Later capabilities add their own tables through their own migrations (and test them there).
    expect(await tablesOf(db)).toEqual(expect.arrayContaining([...TABLES]));
    const rows = (await db.pool.query(`SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`)) as { version: string }[];
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('creates the project-scoped unique keys', async () => {
    const rows = (await db.pool.query(
      "SELECT TABLE_NAME AS tableName, INDEX_NAME AS indexName, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS columns FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0 GROUP BY TABLE_NAME, INDEX_NAME",
      [db.schema],
    )) as { tableName: string; indexName: string; columns: string }[];
    const unique = rows.map((r) => `${r.tableName}.${r.indexName}(${r.columns})`);
    expect(unique).toEqual(expect.arrayContaining(['users._uid(_project,_uid)', 'users.uniq_email(_project,email)', 'users.uniq_phone(_project,phone)', 'memberships.uniq_team_user(_project,teamInternalId,userInternalId)', 'audit._uid(_project,_uid)']));
  });

  it('starts every secondary index of every project table with _project, so each lookup stays in one project', async () => {
    const rows = (await db.pool.query(
      "SELECT TABLE_NAME AS tableName, INDEX_NAME AS indexName, COLUMN_NAME AS firstColumn, INDEX_TYPE AS type FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND SEQ_IN_INDEX = 1 AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME <> ?",
      [db.schema, MIGRATIONS_TABLE],
    )) as { tableName: string; indexName: string; firstColumn: string; type: string }[];
    const unscoped = rows.filter((r) => r.type !== 'FULLTEXT' && r.firstColumn !== '_project').map((r) => `${r.tableName}.${r.indexName}`);
    expect(rows.length).toBeGreaterThan(20);
    expect(unscoped).toEqual([]);
  });

  it('is a no-op when run again', async () => {
    const before = await tablesOf(db);
    const result = await prepareSchema(db.settings);
    expect(result.applied).toEqual([]);
    expect(await tablesOf(db)).toEqual(before);
    const [row] = (await db.pool.query(`SELECT COUNT(*) AS n FROM ${MIGRATIONS_TABLE}`)) as { n: number }[];
    expect(Number(row.n)).toBe(MIGRATIONS.length);
  });
});

describe('concurrent migration runs on a fresh schema', () => {
  const settings = testDatabaseSettings(testSchemaName());

  afterAll(async () => {
    await dropSchema(settings);
  });

  it('all succeed and apply each migration exactly once', async () => {
    // Each run opens its own connection, as five services starting at once would.
    const results = await Promise.all(Array.from({ length: 5 }, () => prepareSchema(settings)));
    const applied = results.flatMap((r) => r.applied).sort();
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version).sort());
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);

    const connection = await createConnection({ host: settings.host, port: settings.port, user: settings.user, password: settings.password, database: settings.schema });
    try {
      const rows = (await connection.query(`SELECT version, COUNT(*) AS n FROM ${MIGRATIONS_TABLE} GROUP BY version`)) as { version: string; n: bigint }[];
      expect(rows.map((r) => [r.version, Number(r.n)])).toEqual(MIGRATIONS.map((m) => [m.version, 1]));
    } finally {
      await connection.end();
    }
  });
});
