/**
 * How a 1.3 attribute becomes a MariaDB column, and what it costs against the row limits.
 * Pure functions: the databases capability calls them before any DDL so it can refuse with
 * `attribute_limit_exceeded` instead of letting MariaDB fail half-way.
 */

/** The 1.3 attribute types (string formats email/url/ip/enum are strings with a `format`). */
export type AttributeType = 'string' | 'integer' | 'double' | 'boolean' | 'datetime' | 'relationship';

export interface AttributeSpec {
  key: string;
  type: AttributeType;
  /** Characters for strings; bytes (4 or 8) for integers. */
  size?: number;
  signed?: boolean;
  array?: boolean;
  /** `email`, `url`, `ip` or `enum` for strings. */
  format?: string;
}

/** InnoDB's limit on the summed in-row width of a table's columns. */
export const ROW_WIDTH_LIMIT = 65535;
/** InnoDB's limit on columns per table. */
export const COLUMN_LIMIT = 1017;
/** Longest string indexed whole: 768 utf8mb4 characters = the 3,072-byte index key limit. */
export const INDEX_PREFIX_LIMIT = 768;
/** Longest string stored as VARCHAR: 16381 × 4 bytes + length stays under the row limit. */
export const VARCHAR_LIMIT = 16381;

const FORMAT_SIZES: Record<string, number> = { email: 254, ip: 39, url: 2000 };

/** Characters a string attribute's column holds. */
export function stringLength(attribute: AttributeSpec): number {
  return (attribute.format && FORMAT_SIZES[attribute.format]) || attribute.size || 255;
}

/** The column type for an attribute (`VARCHAR(128)`, `BIGINT UNSIGNED`, `JSON` …). */
export function columnType(attribute: AttributeSpec): string {
  if (attribute.array) return 'JSON';
  switch (attribute.type) {
    case 'string': {
      const length = stringLength(attribute);
      if (length <= VARCHAR_LIMIT) return `VARCHAR(${length})`;
      if (length <= 65535) return 'TEXT';
      if (length <= 16777215) return 'MEDIUMTEXT';
      return 'LONGTEXT';
    }
    case 'integer':
      return `${(attribute.size ?? 4) >= 8 ? 'BIGINT' : 'INT'}${attribute.signed === false ? ' UNSIGNED' : ''}`;
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'TINYINT(1)';
    case 'datetime':
      return 'DATETIME(3)';
    case 'relationship':
      return 'VARCHAR(255)';
    default:
      throw new Error(`unknown attribute type "${String(attribute.type)}"`);
  }
}

/** Bytes a column of this type counts against ROW_WIDTH_LIMIT (TEXT/JSON count their in-row pointer). */
export function columnWidth(type: string): number {
  const varchar = /^VARCHAR\((\d+)\)/.exec(type);
  if (varchar) {
    const bytes = Number(varchar[1]) * 4;
    return bytes + (bytes > 255 ? 2 : 1);
  }
  if (/^(TEXT|MEDIUMTEXT|LONGTEXT|JSON)/.test(type)) return 12;
  if (type.startsWith('BIGINT') || type.startsWith('DOUBLE')) return 8;
  if (type.startsWith('INT')) return 4;
  if (type.startsWith('TINYINT')) return 1;
  if (type.startsWith('DATETIME')) return 7;
  throw new Error(`no width known for column type "${type}"`);
}

/** The system columns every collection table has, with their types. */
export const SYSTEM_COLUMNS: readonly (readonly [string, string])[] = [
  ['_id', 'BIGINT UNSIGNED NOT NULL AUTO_INCREMENT'],
  ['_uid', 'VARCHAR(36) NOT NULL'],
  ['_createdAt', 'DATETIME(3) NOT NULL'],
  ['_updatedAt', 'DATETIME(3) NOT NULL'],
  ['_permissions', "JSON NOT NULL DEFAULT '[]'"],
];

export interface TableFit {
  fits: boolean;
  width: number;
  columns: number;
}

/** Whether a table with the system columns plus these attributes stays within InnoDB's limits. */
export function collectionFit(attributes: readonly AttributeSpec[]): TableFit {
  const types = [...SYSTEM_COLUMNS.map(([, type]) => type), ...attributes.map(columnType)];
  const width = types.reduce((sum, type) => sum + columnWidth(type), 0);
  return { fits: width <= ROW_WIDTH_LIMIT && types.length <= COLUMN_LIMIT, width, columns: types.length };
}
