import { ErrorType } from '@appconda/contracts';
import { AppException } from '@appconda/core';

import { queriesParamInvalid, queryNotValid } from './query.errors';
import { MAX_QUERIES, MAX_QUERY_LENGTH, parseQuery } from './query.parser';
import { FILTER_METHODS, ParsedQuery, QueryCursor, QueryGroups, QueryMethod, QueryOrder } from './query.types';

/** `find`'s default page size in the 1.3 database library. */
export const DEFAULT_LIMIT = 25;

/** Appwrite's UID rule for cursor values: up to 36 of a-z A-Z 0-9 . - _, not starting with a special char. */
const UID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;

/**
 * Parses the `queries[]` param of a list route and groups it: filters, selections, orders and the
 * pagination settings (limit defaults to 25, offset to 0).
 *
 * As in 1.3, the first `limit`, `offset` and cursor win and later ones are ignored; limit must be an
 * integer >= 1 and offset an integer >= 0, with no upper bound (1.3.8 uses PHP_INT_MAX).
 *
 * @param queries the raw param (anything the client sent); undefined means no queries.
 */
export function parseQueries(queries: unknown): QueryGroups {
  const strings = checkParam(queries);
  const parsed = strings.map(parseQuery);
  const filters: ParsedQuery[] = [];
  const orders: QueryOrder[] = [];
  let selections: string[] | null = null;
  let limit: number | undefined;
  let offset: number | undefined;
  let cursor: QueryCursor | null = null;

  for (const query of parsed) {
    switch (query.method) {
      case QueryMethod.Select:
        selections = [...new Set([...(selections ?? []), ...selectKeys(query)])];
        break;
      case QueryMethod.OrderAsc:
      case QueryMethod.OrderDesc:
        orders.push({ attribute: query.attribute, direction: query.method === QueryMethod.OrderAsc ? 'ASC' : 'DESC' });
        break;
      case QueryMethod.Limit:
        limit ??= integerValue(query, 'limit', 1);
        break;
      case QueryMethod.Offset:
        offset ??= integerValue(query, 'offset', 0);
        break;
      case QueryMethod.CursorAfter:
      case QueryMethod.CursorBefore:
        cursor ??= { direction: query.method === QueryMethod.CursorAfter ? 'after' : 'before', id: cursorId(query) };
        break;
      default:
        if (FILTER_METHODS.has(query.method)) filters.push(query);
    }
  }
  return { cursor, filters, limit: limit ?? DEFAULT_LIMIT, offset: offset ?? 0, orders, queries: parsed, selections };
}

function checkParam(queries: unknown): string[] {
  if (queries === undefined || queries === null) return [];
  if (!Array.isArray(queries)) throw queriesParamInvalid('value must be an array of query strings');
  if (queries.length > MAX_QUERIES) throw queriesParamInvalid(`at most ${MAX_QUERIES} queries are allowed, got ${queries.length}`);
  queries.forEach((query, index) => {
    if (typeof query !== 'string') throw queriesParamInvalid(`query ${index} is not a string`);
    if ([...query].length > MAX_QUERY_LENGTH) throw queriesParamInvalid(`query ${index} is longer than ${MAX_QUERY_LENGTH} characters`);
  });
  return queries as string[];
}

function selectKeys(query: ParsedQuery): string[] {
  if (query.kinds.some((kind) => kind !== 'string')) throw queryNotValid('Select queries take attribute names as strings.');
  return query.values as string[];
}

function integerValue(query: ParsedQuery, name: string, min: number): number {
  const value = query.values[0];
  if (query.kinds[0] !== 'integer' || (value as number) < min) {
    throw queryNotValid(`Invalid ${name}: value must be an integer of at least ${min}.`);
  }
  return value as number;
}

function cursorId(query: ParsedQuery): string {
  const value = query.values[0];
  if (typeof value !== 'string' || !UID.test(value)) {
    throw queryNotValid('Invalid cursor: value must be a document ID of at most 36 characters (a-z, A-Z, 0-9, period, hyphen, underscore) not starting with a special character.');
  }
  return value;
}

/** The `search` param of list routes is at most this long (1.3 `Text(256)`). */
export const MAX_SEARCH_LENGTH = 256;

/**
 * Adds the `search` param of a list route, as 1.3 does with `Query::search('search', $search)`: a
 * fulltext match on the internal `search` column. Call it after `validateQueries` (the `search`
 * attribute is internal, so the allow-list would refuse it). An empty term changes nothing.
 */
export function withSearch(groups: QueryGroups, search: string | undefined, attribute = 'search'): QueryGroups {
  if (!search) return groups;
  if ([...search].length > MAX_SEARCH_LENGTH) {
    throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid \`search\` param: value must be at most ${MAX_SEARCH_LENGTH} characters`);
  }
  const filter: ParsedQuery = { attribute, kinds: ['string'], method: QueryMethod.Search, source: '', values: [search] };
  return { ...groups, filters: [...groups.filters, filter] };
}
