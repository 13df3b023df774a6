import * as mariadb from 'mariadb';

/**
 * Read-only peeks into the run's schema, for effects no API shows any more (rows a worker must
 * remove after their owner is gone).
 */
export async function countRows(table: 'sessions' | 'tokens' | 'memberships', projectId: string, column: 'userId' | 'teamId', value: string): Promise<number> {
  const schema = process.env.APPCONDA_E2E_SCHEMA;
  if (!schema) throw new Error('APPCONDA_E2E_SCHEMA is not set: run through apps/api-e2e/jest.config.cjs');
  const conn = await mariadb.createConnection({ host: process.env._APP_DB_HOST ?? '127.0.0.1', user: process.env._APP_DB_USER ?? 'root', password: process.env._APP_DB_PASS ?? '', database: schema });
  try {
    const rows = await conn.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE \`_project\` = ? AND \`${column}\` = ?`, [projectId, value]);
    return Number(rows[0].n);
  } finally {
    await conn.end();
  }
}
