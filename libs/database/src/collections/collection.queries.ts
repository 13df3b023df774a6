import { CompiledQuery } from '@appconda/query';

import { quoteIdentifier } from '../database.settings';
import { permissionsTableName } from './collection.ddl';

export type PermissionType = 'read' | 'create' | 'update' | 'delete';

/** One row of a perms table: `role` (e.g. `user:abc`, `team:t1/owner`, `any`) holds `type` on a document. */
export interface PermissionGrant {
  type: PermissionType;
  role: string;
}

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** The alias the list statements give the collection table; compile queries with `{ table: MAIN }`. */
export const MAIN = 'main';

/**
 * `EXISTS (…)`: at least one of `roles` holds `type` on the current row. Answered from the
 * `(_permission,_type,_document)` index; no roles means nothing matches.
 */
export function permissionCondition(table: string, roles: readonly string[], type: PermissionType = 'read'): SqlStatement {
  if (roles.length === 0) return { sql: '1 = 0', params: [] };
  const perms = quoteIdentifier(permissionsTableName(table));
  return {
    sql: `EXISTS (SELECT 1 FROM ${perms} AS p WHERE p._document = \`${MAIN}\`._uid AND p._type = ? AND p._permission IN (${roles.map(() => '?').join(', ')}))`,
    params: [type, ...roles],
  };
}

function whereClause(table: string, compiled: Pick<CompiledQuery, 'where' | 'params'>, roles: readonly string[] | null): SqlStatement {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (compiled.where) {
    conditions.push(compiled.where);
    params.push(...compiled.params);
  }
  if (roles) {
    const permission = permissionCondition(table, roles);
    conditions.push(permission.sql);
    params.push(...permission.params);
  }
  return { sql: conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * One SELECT for a page of documents with the read check inside it (no query per document).
 * `roles` null skips the document-level check: the caller already holds collection-level read, or is
 * a key/console. `compiled` must be compiled with `{ table: MAIN }`.
 */
export function selectDocumentsSql(table: string, compiled: CompiledQuery, roles: readonly string[] | null): SqlStatement {
  const where = whereClause(table, compiled, roles);
  return {
    sql: `SELECT \`${MAIN}\`.* FROM ${quoteIdentifier(table)} AS \`${MAIN}\`${where.sql} ORDER BY ${compiled.orderBy} LIMIT ? OFFSET ?`,
    params: [...where.params, compiled.limit, compiled.offset],
  };
}

/** The matching total for the same filters and read check, counting at most `max` rows (1.3 caps totals). */
export function countDocumentsSql(table: string, compiled: Pick<CompiledQuery, 'where' | 'params'>, roles: readonly string[] | null, max = 5000): SqlStatement {
  const where = whereClause(table, compiled, roles);
  return {
    sql: `SELECT COUNT(*) AS total FROM (SELECT 1 FROM ${quoteIdentifier(table)} AS \`${MAIN}\`${where.sql} LIMIT ?) AS counted`,
    params: [...where.params, max],
  };
}

/** Statements replacing a document's grants (run in the document write's transaction). */
export function replacePermissionsSql(table: string, documentId: string, grants: readonly PermissionGrant[]): SqlStatement[] {
  const perms = quoteIdentifier(permissionsTableName(table));
  const statements: SqlStatement[] = [{ sql: `DELETE FROM ${perms} WHERE _document = ?`, params: [documentId] }];
  const unique = [...new Map(grants.map((grant) => [`${grant.type}\u0000${grant.role}`, grant])).values()];
  if (unique.length > 0) {
    statements.push({
      sql: `INSERT INTO ${perms} (_type, _permission, _document) VALUES ${unique.map(() => '(?, ?, ?)').join(', ')}`,
      params: unique.flatMap((grant) => [grant.type, grant.role, documentId]),
    });
  }
  return statements;
}
