import { queryNotValid } from './query.errors';
import { AttributeType, OrderDirection, ParsedQuery, QueryGroups, QueryMethod, QuerySchema, QueryValue } from './query.types';

/** The attribute name of the internal auto-increment sequence (Appwrite's `$internalId`). */
export const INTERNAL_ID = '$internalId';

const DEFAULT_COLUMNS: Record<string, string> = {
  $createdAt: '_createdAt',
  $id: '_uid',
  [INTERNAL_ID]: '_id',
  $updatedAt: '_updatedAt',
};

/** Appwrite's MariaDB column naming: system attributes get `_` columns, the rest keep their key. */
export function defaultColumn(attribute: string): string {
  return DEFAULT_COLUMNS[attribute] ?? attribute;
}

export interface CompileOptions {
  /** Maps an attribute key to its column name (unquoted); return undefined to refuse the attribute. */
  readonly column?: (attribute: string) => string | undefined;
  /** Optional table alias prefixed to every column (`main` -> `main`.`col`). */
  readonly table?: string;
  /**
   * The cursor document's values, keyed by attribute (`$id`, `$createdAt`, …, and `$internalId`),
   * as read from the database. Required when the queries carry a cursor: the caller loads the cursor
   * document first (and throws `cursorNotFound(id)` when it does not exist).
   */
  readonly cursorRow?: Readonly<Record<string, unknown>>;
  /** Used to spot datetime attributes whose values get normalised (see `convert`). */
  readonly schema?: QuerySchema;
  /**
   * Turns a query value into the bound param. Default: values of datetime attributes (and `$createdAt`,
   * `$updatedAt`) become UTC `YYYY-MM-DD HH:MM:SS.mmm`, like 1.3 converts them before querying.
   */
  readonly convert?: (attribute: string, value: QueryValue, type: AttributeType | undefined) => unknown;
}

export interface CompiledQuery {
  /** Conditions joined with AND, or '' when nothing filters. Every value is a `?` placeholder. */
  readonly where: string;
  /** Values for the placeholders of `where`, in order. */
  readonly params: unknown[];
  /** Always ends with the internal sequence so paging is deterministic. */
  readonly orderBy: string;
  readonly limit: number;
  readonly offset: number;
  /** True for cursorBefore: rows come back in reverse order and the caller must reverse them. */
  readonly reverse: boolean;
  /**
   * The filters alone (no cursor condition) and their params: what a list's `total` counts, since
   * 1.3 counts the matching rows whatever page the cursor points at.
   */
  readonly countWhere: string;
  readonly countParams: unknown[];
}

/**
 * Compiles grouped (and validated) queries into MariaDB SQL fragments. User input never reaches the
 * SQL text: values are bound `?` params and identifiers come from `column` and are checked and
 * backtick-quoted.
 */
export function compileQueries(groups: QueryGroups, options: CompileOptions = {}): CompiledQuery {
  const sql = new SqlBuilder(options);
  const conditions = groups.filters.map((filter) => sql.filter(filter));
  const countWhere = conditions.join(' AND ');
  const countParams = [...sql.params];
  const reverse = groups.cursor?.direction === 'before';
  const keys = orderKeys(groups, sql, reverse);
  if (groups.cursor) conditions.push(sql.keyset(keys, options.cursorRow));
  return {
    limit: groups.limit,
    offset: groups.offset,
    orderBy: keys.map((key) => `${key.column} ${key.direction}`).join(', '),
    params: sql.params,
    reverse,
    where: conditions.join(' AND '),
    countWhere,
    countParams,
  };
}

/** The clause tail for a SELECT: ` WHERE … ORDER BY … LIMIT ? OFFSET ?` and all its params. */
export function toSqlClauses(compiled: CompiledQuery): { sql: string; params: unknown[] } {
  const where = compiled.where ? ` WHERE ${compiled.where}` : '';
  return {
    params: [...compiled.params, compiled.limit, compiled.offset],
    sql: `${where} ORDER BY ${compiled.orderBy} LIMIT ? OFFSET ?`,
  };
}

interface OrderKey {
  readonly attribute: string;
  readonly column: string;
  readonly direction: OrderDirection;
}

/**
 * Requested orders plus the sequence tiebreaker, flipped for cursorBefore. The tiebreaker follows the
 * direction of the last requested order: a secondary index holds the primary key ascending after its
 * columns, so `col DESC, _id DESC` is that index read backwards, while `col DESC, _id ASC` (mixed)
 * makes MariaDB filesort every matching row. Ties are unordered in the 1.3 contract; cursors stay exact
 * because the keyset condition follows each key's own direction.
 */
function orderKeys(groups: QueryGroups, sql: SqlBuilder, reverse: boolean): OrderKey[] {
  const flip = (direction: OrderDirection): OrderDirection => (reverse ? (direction === 'ASC' ? 'DESC' : 'ASC') : direction);
  const keys: OrderKey[] = [];
  let last: OrderDirection = 'ASC';
  for (const order of groups.orders) {
    const attribute = order.attribute || INTERNAL_ID;
    if (keys.some((key) => key.attribute === attribute)) continue;
    keys.push({ attribute, column: sql.column(attribute), direction: flip(order.direction) });
    last = order.direction;
  }
  if (!keys.some((key) => key.attribute === INTERNAL_ID)) {
    keys.push({ attribute: INTERNAL_ID, column: sql.column(INTERNAL_ID), direction: flip(last) });
  }
  return keys;
}

const COMPARISONS: Partial<Record<QueryMethod, string>> = {
  [QueryMethod.Equal]: '=',
  [QueryMethod.GreaterThan]: '>',
  [QueryMethod.GreaterThanEqual]: '>=',
  [QueryMethod.LessThan]: '<',
  [QueryMethod.LessThanEqual]: '<=',
  [QueryMethod.NotEqual]: '!=',
};

const IDENTIFIER = /^[A-Za-z0-9_$.-]{1,64}$/;

class SqlBuilder {
  readonly params: unknown[] = [];
  private readonly types = new Map<string, AttributeType>([
    ['$createdAt', 'datetime'],
    ['$updatedAt', 'datetime'],
  ]);

  constructor(private readonly options: CompileOptions) {
    for (const attribute of options.schema?.attributes ?? []) this.types.set(attribute.key, attribute.type);
  }

  column(attribute: string): string {
    const name = (this.options.column ?? defaultColumn)(attribute);
    if (name === undefined) throw queryNotValid(`Attribute not found in schema: ${attribute}`);
    const table = this.options.table;
    return table ? `${quote(table)}.${quote(name)}` : quote(name);
  }

  filter(query: ParsedQuery): string {
    const column = this.column(query.attribute);
    const values = query.values;
    switch (query.method) {
      case QueryMethod.IsNull:
        return `${column} IS NULL`;
      case QueryMethod.IsNotNull:
        return `${column} IS NOT NULL`;
      case QueryMethod.Between:
        return `${column} BETWEEN ${this.bind(query.attribute, values[0])} AND ${this.bind(query.attribute, values[1])}`;
      case QueryMethod.Equal:
        if (values.length > 1) return `${column} IN (${values.map((value) => this.bind(query.attribute, value)).join(', ')})`;
        break;
      case QueryMethod.Search:
        // One MATCH per value, ORed, like the 1.3 MariaDB adapter.
        return anyOf(values.map((value) => `MATCH(${column}) AGAINST (${this.param(fulltextTerm(String(value)))} IN BOOLEAN MODE)`));
      case QueryMethod.StartsWith:
        return anyOf(values.map((value) => `${column} LIKE ${this.param(`${escapeLike(String(value))}%`)} ESCAPE '!'`));
      case QueryMethod.EndsWith:
        return anyOf(values.map((value) => `${column} LIKE ${this.param(`%${escapeLike(String(value))}`)} ESCAPE '!'`));
      default:
        break;
    }
    // Several values are ORed, as in 1.3 (so notEqual("a", ["x", "y"]) matches rows that differ from either).
    const operator = COMPARISONS[query.method];
    if (!operator) throw queryNotValid(`Query method not valid: ${query.method}`);
    return anyOf(values.map((value) => `${column} ${operator} ${this.bind(query.attribute, value)}`));
  }

  /**
   * The keyset condition "strictly after the cursor row in this order": for keys k1..kn,
   * (k1 > v1) OR (k1 = v1 AND k2 > v2) OR … with `>` meaning "later in the key's direction".
   * NULLs sort first in MariaDB, so they are handled explicitly rather than compared.
   */
  keyset(keys: OrderKey[], row: Readonly<Record<string, unknown>> | undefined): string {
    if (!row) throw new Error('compileQueries: a cursor was given but no cursorRow with its values');
    const terms = keys.map((key, index) => {
      const equal = keys.slice(0, index).map((previous) => this.equalTo(previous, row));
      return allOf([...equal, this.after(key, row)]);
    });
    return anyOf(terms);
  }

  private cursorValue(key: OrderKey, row: Readonly<Record<string, unknown>>): unknown {
    if (!(key.attribute in row) || row[key.attribute] === undefined) {
      throw new Error(`compileQueries: cursorRow lacks a value for "${key.attribute}"`);
    }
    return row[key.attribute];
  }

  private equalTo(key: OrderKey, row: Readonly<Record<string, unknown>>): string {
    const value = this.cursorValue(key, row);
    return value === null ? `${key.column} IS NULL` : `${key.column} = ${this.param(value)}`;
  }

  private after(key: OrderKey, row: Readonly<Record<string, unknown>>): string {
    const value = this.cursorValue(key, row);
    if (key.direction === 'ASC') return value === null ? `${key.column} IS NOT NULL` : `${key.column} > ${this.param(value)}`;
    if (value === null) return 'FALSE';
    // The sequence is never NULL, so its descending step is a plain range the primary key answers.
    return key.attribute === INTERNAL_ID ? `${key.column} < ${this.param(value)}` : `(${key.column} < ${this.param(value)} OR ${key.column} IS NULL)`;
  }

  /** Binds a query value, converted for its attribute. */
  private bind(attribute: string, value: QueryValue): string {
    const type = this.types.get(attribute);
    const converted = this.options.convert ? this.options.convert(attribute, value, type) : defaultConvert(value, type);
    return this.param(converted);
  }

  private param(value: unknown): string {
    this.params.push(value);
    return '?';
  }
}

function defaultConvert(value: QueryValue, type: AttributeType | undefined): unknown {
  if (type !== 'datetime' || typeof value !== 'string') return value;
  // Like PHP with a UTC default zone, a datetime without an offset is read as UTC (JS would use local time).
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  const date = new Date(naive ? `${value.replace(' ', 'T')}Z` : value);
  if (Number.isNaN(date.getTime())) throw queryNotValid(`Invalid datetime value: ${value}`);
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Backtick-quotes a column or table name after checking it against a conservative whitelist. */
export function quote(identifier: string): string {
  if (!IDENTIFIER.test(identifier)) throw queryNotValid(`Attribute cannot be queried: ${identifier}`);
  return `\`${identifier}\``;
}

/** Escapes LIKE wildcards with `!` (declared via ESCAPE '!', which works whatever the sql_mode). */
export function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (char) => `!${char}`);
}

/**
 * The 1.3 MariaDB adapter's fulltext term: boolean-mode operators (@ + - * ( ) < > ~ ") become spaces,
 * runs of whitespace collapse, and the term gets a trailing `*` for prefix matching, unless the whole
 * value was wrapped in double quotes, which asks for the exact phrase.
 *
 * Every other character InnoDB does not index as part of a word (`%`, `'`, `.`, `&`, control characters…)
 * becomes a space too: it only separates words anyway, and left next to the `*` (`%*`) it is a syntax
 * error of MATCH … AGAINST in boolean mode, which reached the client as a 500.
 */
export function fulltextTerm(value: string): string {
  const exact = value.length > 1 && value.startsWith('"') && value.endsWith('"');
  const cleaned = value
    .replace(/[^\p{L}\p{N}\p{M}_\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '') return '';
  return exact ? `"${cleaned}"` : `${cleaned}*`;
}

function anyOf(conditions: string[]): string {
  return conditions.length === 1 ? conditions[0] : `(${conditions.join(' OR ')})`;
}

function allOf(conditions: string[]): string {
  return conditions.length === 1 ? conditions[0] : `(${conditions.join(' AND ')})`;
}
