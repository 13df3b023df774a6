import type { Pool, PoolConnection } from 'mariadb';

/** Runs `work` in a transaction on one connection of a raw `mariadb` pool: committed if it resolves, rolled back if it throws. */
export async function poolTransaction<T>(pool: Pool, work: (connection: PoolConnection) => Promise<T>): Promise<T> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    const result = await work(connection);
    await connection.commit();
    return result;
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    throw error;
  } finally {
    await connection.release();
  }
}
