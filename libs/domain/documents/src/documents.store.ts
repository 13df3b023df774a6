import { Inject, Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException } from '@appconda/core';
import {
  countDocumentsSql,
  MAIN,
  MARIADB_POOL,
  PermissionGrant,
  permissionCondition,
  PermissionType,
  poolTransaction,
  quoteIdentifier,
  replacePermissionsSql,
  selectDocumentsSql,
} from '@appconda/database';
import { CompiledQuery } from '@appconda/query';
import type { Pool, PoolConnection } from 'mariadb';

/** A collection table row as the driver returns it (system columns plus one column per attribute). */
export type DocumentRow = Record<string, unknown> & { _id: number; _uid: string; _createdAt: Date; _updatedAt: Date; _permissions: string[] | string | null };

/** What runs statements: the pool, or one connection inside a transaction. */
export type Executor = Pick<Pool, 'query'> | PoolConnection;

/** The grants of a document's permission strings (`read("user:a")` → { type: 'read', role: 'user:a' }). */
export function toGrants(permissions: readonly string[]): PermissionGrant[] {
  const grants: PermissionGrant[] = [];
  for (const permission of permissions) {
    const open = permission.indexOf('("');
    if (open <= 0 || !permission.endsWith('")')) continue;
    grants.push({ type: permission.slice(0, open) as PermissionType, role: permission.slice(open + 2, -2) });
  }
  return grants;
}

function isDuplicate(error: unknown): boolean {
  return (error as { errno?: number })?.errno === 1062;
}

/**
 * The only code that touches a collection's real table and its `_perms` side table: single
 * parameterised statements on the raw `mariadb` pool (hot path), permission checks inside the SQL,
 * writes of a row and its grants in one transaction on one pooled connection.
 */
@Injectable()
export class DocumentsStore {
  constructor(@Inject(MARIADB_POOL) private readonly pool: Pool) {}

  /** One row by `$id`; with `roles`, only when one of them holds read on it (else null). */
  async findOne(table: string, id: string, roles: readonly string[] | null, executor: Executor = this.pool): Promise<DocumentRow | null> {
    let sql = `SELECT * FROM ${quoteIdentifier(table)} AS \`${MAIN}\` WHERE \`${MAIN}\`._uid = ?`;
    const params: unknown[] = [id];
    if (roles) {
      const check = permissionCondition(table, roles);
      sql += ` AND ${check.sql}`;
      params.push(...check.params);
    }
    const rows = (await executor.query(`${sql} LIMIT 1`, params)) as DocumentRow[];
    return rows[0] ?? null;
  }

  /** Rows whose `column` is one of `values` (batched relationship loads), read-checked with `roles`. */
  async findIn(
    table: string,
    column: string,
    values: readonly string[],
    roles: readonly string[] | null,
    executor: Executor = this.pool,
  ): Promise<DocumentRow[]> {
    if (values.length === 0) return [];
    let sql = `SELECT * FROM ${quoteIdentifier(table)} AS \`${MAIN}\` WHERE \`${MAIN}\`.${quoteIdentifier(column)} IN (${values.map(() => '?').join(', ')})`;
    const params: unknown[] = [...values];
    if (roles) {
      const check = permissionCondition(table, roles);
      sql += ` AND ${check.sql}`;
      params.push(...check.params);
    }
    return (await executor.query(`${sql} ORDER BY \`${MAIN}\`._id`, params)) as DocumentRow[];
  }

  /** A page of rows (filters, order, read check in one statement); reversed back for cursorBefore. */
  async list(table: string, compiled: CompiledQuery, roles: readonly string[] | null): Promise<DocumentRow[]> {
    const statement = selectDocumentsSql(table, compiled, roles);
    const rows = (await this.pool.query(statement.sql, statement.params)) as DocumentRow[];
    return compiled.reverse ? rows.reverse() : rows;
  }

  async count(table: string, compiled: CompiledQuery, roles: readonly string[] | null, max: number): Promise<number> {
    const statement = countDocumentsSql(table, compiled, roles, max);
    const rows = (await this.pool.query(statement.sql, statement.params)) as { total: number | bigint }[];
    return Number(rows[0]?.total ?? 0);
  }

  /** Runs `work` in a transaction on one pooled connection. */
  transaction<T>(work: (connection: PoolConnection) => Promise<T>): Promise<T> {
    return poolTransaction(this.pool, work);
  }

  /** Inserts a row and its grants; a taken `$id` is 409 document_already_exists. */
  async insert(
    connection: Executor | null,
    table: string,
    id: string,
    at: Date,
    permissions: readonly string[],
    columns: ReadonlyMap<string, unknown>,
  ): Promise<void> {
    const executor = connection ?? this.pool;
    const names = ['`_uid`', '`_createdAt`', '`_updatedAt`', '`_permissions`'];
    const values: unknown[] = [id, at, at, JSON.stringify(permissions)];
    for (const [column, value] of columns) {
      names.push(quoteIdentifier(column));
      values.push(value);
    }
    try {
      await executor.query(`INSERT INTO ${quoteIdentifier(table)} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, values);
    } catch (error) {
      if (isDuplicate(error)) throw new AppException(ErrorType.DocumentAlreadyExists);
      throw error;
    }
    const grants = toGrants(permissions);
    if (grants.length) await this.writeGrants(executor, table, id, grants, false);
  }

  /** Updates the given columns (and `$permissions` with its grants when given) of one row. */
  async update(
    connection: Executor | null,
    table: string,
    id: string,
    at: Date,
    permissions: readonly string[] | null,
    columns: ReadonlyMap<string, unknown>,
    since: Date | null = null,
  ): Promise<void> {
    const sets = ['`_updatedAt` = ?'];
    const values: unknown[] = [at];
    if (permissions) {
      sets.push('`_permissions` = ?');
      values.push(JSON.stringify(permissions));
    }
    for (const [column, value] of columns) {
      sets.push(`${quoteIdentifier(column)} = ?`);
      values.push(value);
    }
    values.push(id);
    let where = '_uid = ?';
    if (since) {
      // Re-checked in the statement itself, so a write racing in after the caller's read still conflicts.
      where += ' AND _updatedAt <= ?';
      values.push(since);
    }
    const executor = connection ?? this.pool;
    let result: { affectedRows: number };
    try {
      result = (await executor.query(`UPDATE ${quoteIdentifier(table)} SET ${sets.join(', ')} WHERE ${where}`, values)) as { affectedRows: number };
    } catch (error) {
      // A unique index of the collection refuses the new values.
      if (isDuplicate(error)) throw new AppException(ErrorType.DocumentAlreadyExists);
      throw error;
    }
    if (since && result.affectedRows === 0) throw new AppException(ErrorType.DocumentUpdateConflict);
    if (permissions) await this.writeGrants(executor, table, id, toGrants(permissions), true);
  }

  /** Sets one column on rows (relationship links): `WHERE _uid IN (…)`. */
  async setColumn(connection: Executor, table: string, column: string, value: string | null, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await connection.query(`UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)} = ? WHERE _uid IN (${ids.map(() => '?').join(', ')})`, [
      value,
      ...ids,
    ]);
  }

  /** Clears a column on every row holding one of `values` (the other end of a deleted link). */
  async clearColumn(connection: Executor, table: string, column: string, values: readonly string[], exceptIds: readonly string[] = []): Promise<void> {
    if (values.length === 0) return;
    let sql = `UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)} = NULL WHERE ${quoteIdentifier(column)} IN (${values.map(() => '?').join(', ')})`;
    const params: unknown[] = [...values];
    if (exceptIds.length) {
      sql += ` AND _uid NOT IN (${exceptIds.map(() => '?').join(', ')})`;
      params.push(...exceptIds);
    }
    await connection.query(sql, params);
  }

  /** Deletes a row and its grants in one (atomic) multi-table statement. */
  async deleteOne(table: string, id: string): Promise<void> {
    const [main, perms] = [quoteIdentifier(table), quoteIdentifier(`${table}_perms`)];
    await this.pool.query(`DELETE d, p FROM ${main} AS d LEFT JOIN ${perms} AS p ON p._document = d._uid WHERE d._uid = ?`, [id]);
  }

  async delete(connection: Executor, table: string, id: string): Promise<void> {
    await connection.query(`DELETE FROM ${quoteIdentifier(table)} WHERE _uid = ?`, [id]);
    await connection.query(`DELETE FROM ${quoteIdentifier(`${table}_perms`)} WHERE _document = ?`, [id]);
  }

  /** `_parent`/`_child` pairs of a manyToMany junction for ids on one side. */
  async junctionPairs(
    junction: string,
    side: '_parent' | '_child',
    ids: readonly string[],
    executor: Executor = this.pool,
  ): Promise<{ _parent: string; _child: string }[]> {
    if (ids.length === 0) return [];
    return (await executor.query(`SELECT _parent, _child FROM ${quoteIdentifier(junction)} WHERE ${side} IN (${ids.map(() => '?').join(', ')}) ORDER BY _id`, [
      ...ids,
    ])) as { _parent: string; _child: string }[];
  }

  async deleteJunction(connection: Executor, junction: string, side: '_parent' | '_child', id: string): Promise<void> {
    await connection.query(`DELETE FROM ${quoteIdentifier(junction)} WHERE ${side} = ?`, [id]);
  }

  async insertJunction(connection: Executor, junction: string, pairs: readonly [string, string][]): Promise<void> {
    if (pairs.length === 0) return;
    await connection.query(`INSERT IGNORE INTO ${quoteIdentifier(junction)} (_parent, _child) VALUES ${pairs.map(() => '(?, ?)').join(', ')}`, pairs.flat());
  }

  private async writeGrants(connection: Executor, table: string, id: string, grants: PermissionGrant[], replace: boolean): Promise<void> {
    const statements = replacePermissionsSql(table, id, grants);
    for (const statement of replace ? statements : statements.slice(1)) await connection.query(statement.sql, statement.params);
  }
}
