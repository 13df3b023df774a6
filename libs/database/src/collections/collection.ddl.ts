import { quoteIdentifier } from '../database.settings';
import { AttributeSpec, columnType, columnWidth, INDEX_PREFIX_LIMIT, stringLength, SYSTEM_COLUMNS } from './collection.columns';

/** 1.3 attribute and index keys: up to 36 of a-z A-Z 0-9 . - _, not starting with a special char. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/;

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/** Backtick-quotes a 1.3 attribute/index key used as a column or index name. */
export function quoteKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid attribute or index key "${key}"`);
  return `\`${key}\``;
}

/** `_<projectSeq>_<databaseSeq>_<collectionSeq>`: the table of a user collection, from internal ids only. */
export function collectionTableName(projectSeq: string | number, databaseSeq: string | number, collectionSeq: string | number): string {
  const parts = [projectSeq, databaseSeq, collectionSeq].map(String);
  if (!parts.every((part) => /^\d+$/.test(part))) throw new Error(`collection table sequences must be numeric, got ${parts.join(', ')}`);
  return `_${parts.join('_')}`;
}

/** The permission side table of a collection table. */
export function permissionsTableName(table: string): string {
  return `${table}_perms`;
}

/** DDL creating a collection's table and its permission table (idempotent). */
export function createCollectionSql(table: string, attributes: readonly AttributeSpec[] = []): string[] {
  const columns = [
    ...SYSTEM_COLUMNS.map(([name, type]) => `${name} ${type}`),
    // Attribute columns are nullable: `required` and defaults are enforced by the document layer, as in 1.3.
    ...attributes.map((attribute) => `${quoteKey(attribute.key)} ${columnType(attribute)} NULL`),
    'PRIMARY KEY (_id)',
    'UNIQUE KEY `_uid` (_uid)',
    'KEY `_created` (_createdAt)',
    'KEY `_updated` (_updatedAt)',
  ];
  const perms = [
    '_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT',
    "_type ENUM('read','create','update','delete') NOT NULL",
    '_permission VARCHAR(255) NOT NULL',
    '_document VARCHAR(255) NOT NULL',
    'PRIMARY KEY (_id)',
    'UNIQUE KEY `_document_type_permission` (_document, _type, _permission)',
    'KEY `_permission_type_document` (_permission, _type, _document)',
  ];
  return [
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (\n  ${columns.join(',\n  ')}\n) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(permissionsTableName(table))} (\n  ${perms.join(',\n  ')}\n) ${TABLE_OPTIONS}`,
  ];
}

/** DDL dropping a collection's tables. */
export function dropCollectionSql(table: string): string[] {
  return [`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`, `DROP TABLE IF EXISTS ${quoteIdentifier(permissionsTableName(table))}`];
}

/** DDL adding one attribute's column (idempotent, so a retried worker job is harmless). */
export function addAttributeSql(table: string, attribute: AttributeSpec): string {
  return `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN IF NOT EXISTS ${quoteKey(attribute.key)} ${columnType(attribute)} NULL`;
}

export function dropAttributeSql(table: string, key: string): string {
  return `ALTER TABLE ${quoteIdentifier(table)} DROP COLUMN IF EXISTS ${quoteKey(key)}`;
}

export type IndexType = 'key' | 'unique' | 'fulltext';

export interface IndexSpec {
  key: string;
  type: IndexType;
  attributes: readonly string[];
  orders?: readonly ('ASC' | 'DESC' | null | undefined)[];
}

const SYSTEM_INDEX_COLUMNS: Record<string, string> = { $id: '_uid', $createdAt: '_createdAt', $updatedAt: '_updatedAt' };

/** InnoDB's limit on one index key, in bytes. */
const INDEX_KEY_BYTES = 3072;

/**
 * DDL creating a 1.3 index, named by its key. String columns share what is left of the 3,072-byte
 * key after the fixed-width columns, and are indexed by prefix when longer (TEXT always is); array
 * attributes cannot carry a plain index.
 */
export function createIndexSql(table: string, index: IndexSpec, attributes: readonly AttributeSpec[]): string {
  const byKey = new Map(attributes.map((attribute) => [attribute.key, attribute]));
  const parts = index.attributes.map((key) => {
    const system = SYSTEM_INDEX_COLUMNS[key];
    if (system) return { column: system, type: system === '_uid' ? 'VARCHAR(36)' : 'DATETIME(3)', length: system === '_uid' ? 36 : 0 };
    const attribute = byKey.get(key);
    if (!attribute) throw new Error(`index "${index.key}" names unknown attribute "${key}"`);
    if (attribute.array) throw new Error(`index "${index.key}" cannot cover array attribute "${key}"`);
    if (index.type === 'fulltext' && attribute.type !== 'string') throw new Error(`fulltext index "${index.key}" needs string attributes, "${key}" is ${attribute.type}`);
    const type = columnType(attribute);
    return { column: quoteKey(key), type, length: attribute.type === 'string' ? stringLength(attribute) : attribute.type === 'relationship' ? 255 : 0 };
  });
  const kind = index.type === 'unique' ? 'UNIQUE INDEX' : index.type === 'fulltext' ? 'FULLTEXT INDEX' : 'INDEX';
  const head = `CREATE ${kind} IF NOT EXISTS ${quoteKey(index.key)} ON ${quoteIdentifier(table)}`;
  if (index.type === 'fulltext') return `${head} (${parts.map((part) => part.column).join(', ')})`;

  const textual = (type: string) => /^(VARCHAR|TEXT|MEDIUMTEXT|LONGTEXT)/.test(type);
  const fixedBytes = parts.filter((part) => !textual(part.type)).reduce((sum, part) => sum + columnWidth(part.type), 0);
  const strings = parts.filter((part) => textual(part.type)).length;
  // Each string costs 4 bytes per character plus a 2-byte length.
  const perString = Math.min(INDEX_PREFIX_LIMIT, Math.floor((INDEX_KEY_BYTES - fixedBytes) / Math.max(strings, 1) / 4) - 1);
  const columns = parts.map((part, i) => {
    const prefix = textual(part.type) && (part.length > perString || !part.type.startsWith('VARCHAR')) ? `(${perString})` : '';
    const order = index.orders?.[i] === 'DESC' ? ' DESC' : '';
    return `${part.column}${prefix}${order}`;
  });
  return `${head} (${columns.join(', ')})`;
}

export function dropIndexSql(table: string, key: string): string {
  return `DROP INDEX IF EXISTS ${quoteKey(key)} ON ${quoteIdentifier(table)}`;
}
