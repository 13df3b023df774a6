/** MariaDB refused a duplicate key (ER_DUP_ENTRY), possibly wrapped by TypeORM. */
export function isDuplicateKey(error: unknown): boolean {
  return [error, (error as { driverError?: unknown } | null)?.driverError].some((candidate) => {
    const err = candidate as { code?: string; errno?: number } | null | undefined;
    return err?.code === 'ER_DUP_ENTRY' || err?.errno === 1062;
  });
}

/**
 * An error MariaDB answered for a statement (bad DDL, row too large, duplicate entries for a unique
 * index …): retrying cannot help, so the worker marks the attribute or index `failed` with its text.
 * Anything else (connection lost, pool timeout) is rethrown so Bull retries the job.
 */
export function isStatementError(error: unknown): boolean {
  const err = error as { sqlState?: string; errno?: number; fatal?: boolean } | null;
  if (!err || err.fatal) return false;
  return typeof err.errno === 'number' && err.errno >= 1000 && err.errno < 2000 && typeof err.sqlState === 'string';
}

/** The text of a MariaDB error without the driver's `(conn=…, no: …, SQLState: …)` prefix and SQL echo. */
export function statementErrorText(error: unknown): string {
  const err = error as { sqlMessage?: string; text?: string; message?: string };
  return err.sqlMessage ?? err.text ?? String(err.message ?? error);
}

/** `search` column text of databases and collections (Appwrite indexes `$id` and name). */
export function searchText(uid: string, name: string): string {
  return [uid, name].filter(Boolean).join(' ');
}
