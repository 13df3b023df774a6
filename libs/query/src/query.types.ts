/**
 * The Appwrite 1.3 query methods, with their wire names as values. `contains` is deliberately absent:
 * the 1.3 database library parses it but the 1.3 API rejects it.
 */
export enum QueryMethod {
  Between = 'between',
  CursorAfter = 'cursorAfter',
  CursorBefore = 'cursorBefore',
  EndsWith = 'endsWith',
  Equal = 'equal',
  GreaterThan = 'greaterThan',
  GreaterThanEqual = 'greaterThanEqual',
  IsNotNull = 'isNotNull',
  IsNull = 'isNull',
  LessThan = 'lessThan',
  LessThanEqual = 'lessThanEqual',
  Limit = 'limit',
  NotEqual = 'notEqual',
  Offset = 'offset',
  OrderAsc = 'orderAsc',
  OrderDesc = 'orderDesc',
  Search = 'search',
  Select = 'select',
  StartsWith = 'startsWith',
}

export const QUERY_METHODS: ReadonlySet<string> = new Set(Object.values(QueryMethod));

/** Methods that filter rows on one attribute. */
export const FILTER_METHODS: ReadonlySet<QueryMethod> = new Set([
  QueryMethod.Between,
  QueryMethod.EndsWith,
  QueryMethod.Equal,
  QueryMethod.GreaterThan,
  QueryMethod.GreaterThanEqual,
  QueryMethod.IsNotNull,
  QueryMethod.IsNull,
  QueryMethod.LessThan,
  QueryMethod.LessThanEqual,
  QueryMethod.NotEqual,
  QueryMethod.Search,
  QueryMethod.StartsWith,
]);

/** A literal as it appears in a query string. */
export type QueryValue = string | number | boolean | null;

/**
 * How a literal was written. PHP distinguishes `5` (integer) from `5.0` (double) and 1.3 checks value
 * types strictly against the attribute type, so the kind is kept next to the JS value.
 */
export type ValueKind = 'string' | 'integer' | 'double' | 'boolean' | 'null';

/** One parsed query string. */
export interface ParsedQuery {
  readonly method: QueryMethod;
  /** Filter/order attribute; '' for methods without one (select, limit, offset, cursor*). */
  readonly attribute: string;
  readonly values: readonly QueryValue[];
  /** `kinds[i]` is how `values[i]` was written. */
  readonly kinds: readonly ValueKind[];
  /** The original string, for messages. */
  readonly source: string;
}

export type OrderDirection = 'ASC' | 'DESC';
export type CursorDirection = 'after' | 'before';

export interface QueryOrder {
  /** '' orders by the internal sequence (natural order), as `orderAsc()` does in 1.3. */
  readonly attribute: string;
  readonly direction: OrderDirection;
}

export interface QueryCursor {
  readonly direction: CursorDirection;
  /** The `$id` of the document to page from; the caller loads it (missing -> `cursorNotFound(id)`). */
  readonly id: string;
}

/** The queries of one list request, grouped by role. */
export interface QueryGroups {
  readonly filters: readonly ParsedQuery[];
  /** null when no `select` was sent (all attributes). */
  readonly selections: readonly string[] | null;
  readonly orders: readonly QueryOrder[];
  readonly limit: number;
  readonly offset: number;
  readonly cursor: QueryCursor | null;
  /** Every query in request order (validation needs them all). */
  readonly queries: readonly ParsedQuery[];
}

export type AttributeType =
  | 'string'
  | 'integer'
  | 'double'
  | 'boolean'
  | 'datetime'
  | 'email'
  | 'enum'
  | 'ip'
  | 'url'
  | 'relationship';

export interface AttributeSchema {
  readonly key: string;
  readonly type: AttributeType;
  readonly array?: boolean;
}

export interface IndexSchema {
  readonly type: 'key' | 'unique' | 'fulltext';
  readonly attributes: readonly string[];
}

/** What `validateQueries` checks against. */
export interface QuerySchema {
  readonly attributes: readonly AttributeSchema[];
  readonly indexes?: readonly IndexSchema[];
  /**
   * System lists (users, teams, files …) only let clients query an allow-list of attributes (plus
   * `$id`, `$createdAt`, `$updatedAt`); documents leave this unset so every attribute is queryable.
   */
  readonly allowedAttributes?: readonly string[];
  /** Restricts the accepted methods, e.g. logs lists take only limit and offset. */
  readonly allowedMethods?: readonly QueryMethod[];
}
