import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'mariadb';

import { AttributeSpec, IndexSpec, addAttributeSql, columnType, quoteKey, createCollectionSql, createIndexSql, dropAttributeSql, dropCollectionSql, dropIndexSql } from '../collections';
import { quoteIdentifier } from '../database.settings';
import { MARIADB_POOL } from '../database.tokens';

/** A column of a collection table as information_schema describes it. */
export interface TableColumn {
  name: string;
  /** Full column type, e.g. `varchar(128)`, `int(10) unsigned`, `longtext`. */
  type: string;
  nullable: boolean;
}

/**
 * DDL on user collection tables (`_<p>_<d>_<c>` and their `_perms` side tables). Every statement is
 * idempotent (`IF [NOT] EXISTS`), so a retried databases/deletes job that finds the work done completes.
 * Table names come from `collectionTableName()` only; keys are checked by `quoteKey()`.
 */
@Injectable()
export class CollectionTableRepository {
  constructor(@Inject(MARIADB_POOL) private readonly pool: Pool) {}

  async createTables(table: string, attributes: readonly AttributeSpec[] = []): Promise<void> {
    for (const sql of createCollectionSql(table, attributes)) await this.pool.query(sql);
  }

  async dropTables(table: string): Promise<void> {
    for (const sql of dropCollectionSql(table)) await this.pool.query(sql);
  }

  async addColumn(table: string, attribute: AttributeSpec): Promise<void> {
    await this.pool.query(addAttributeSql(table, attribute));
  }

  /** Changes a column's type in place (a wider enum). */
  async modifyColumn(table: string, attribute: AttributeSpec): Promise<void> {
    await this.pool.query(`ALTER TABLE ${quoteIdentifier(table)} MODIFY COLUMN ${quoteKey(attribute.key)} ${columnType(attribute)} NULL`);
  }

  async dropColumn(table: string, key: string): Promise<void> {
    await this.pool.query(dropAttributeSql(table, key));
  }

  async createIndex(table: string, index: IndexSpec, attributes: readonly AttributeSpec[]): Promise<void> {
    await this.pool.query(createIndexSql(table, index, attributes));
  }

  async dropIndex(table: string, key: string): Promise<void> {
    await this.pool.query(dropIndexSql(table, key));
  }

  /** A junction table for a many-to-many relationship: one row per (parent, child) pair, both ways indexed. */
  async createJunction(table: string, parentColumn: string, childColumn: string): Promise<void> {
    const [parent, child] = [quoteIdentifier(parentColumn), quoteIdentifier(childColumn)];
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (
  _id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ${parent} VARCHAR(255) NOT NULL,
  ${child} VARCHAR(255) NOT NULL,
  PRIMARY KEY (_id),
  UNIQUE KEY _pair (${parent}, ${child}),
  KEY _reverse (${child}, ${parent})
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
  }

  async dropTable(table: string): Promise<void> {
    await this.pool.query(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`);
  }

  async tableExists(table: string): Promise<boolean> {
    const rows = await this.pool.query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table]);
    return rows.length > 0;
  }

  /** Tables of this schema whose name starts with `prefix` (e.g. `_12_3_` for every table of a database). */
  async tablesWithPrefix(prefix: string): Promise<string[]> {
    if (!/^[A-Za-z0-9_]+$/.test(prefix)) throw new Error(`unsafe table prefix "${prefix}"`);
    const pattern = `${prefix.replace(/_/g, '\\_')}%`;
    const rows: { name: string }[] = await this.pool.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?', [pattern]);
    return rows.map((row) => row.name);
  }

  async columns(table: string): Promise<TableColumn[]> {
    const rows: { name: string; type: string; nullable: string }[] = await this.pool.query(
      'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [table],
    );
    return rows.map((row) => ({ name: row.name, type: row.type, nullable: row.nullable === 'YES' }));
  }

  /** Index names of a table with their type (`BTREE`/`FULLTEXT`) and uniqueness. */
  async indexes(table: string): Promise<{ name: string; unique: boolean; type: string; columns: string[] }[]> {
    const rows: { name: string; nonUnique: number | bigint; type: string; column: string }[] = await this.pool.query(
      'SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, INDEX_TYPE AS type, COLUMN_NAME AS `column` FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX',
      [table],
    );
    const byName = new Map<string, { name: string; unique: boolean; type: string; columns: string[] }>();
    for (const row of rows) {
      const entry = byName.get(row.name) ?? { name: row.name, unique: Number(row.nonUnique) === 0, type: row.type, columns: [] };
      entry.columns.push(row.column);
      byName.set(row.name, entry);
    }
    return [...byName.values()];
  }
}
