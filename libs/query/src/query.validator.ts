import { queryMethodNotValid, queryNotValid } from './query.errors';
import { AttributeSchema, AttributeType, FILTER_METHODS, ParsedQuery, QueryGroups, QueryMethod, QuerySchema, ValueKind } from './query.types';

/** At most this many values in one filter (1.3 `Query\Filter` maxValuesCount). */
export const MAX_FILTER_VALUES = 100;

/** Attributes every list can filter and order on, whatever its schema or allow-list. */
export const SYSTEM_ATTRIBUTES: readonly AttributeSchema[] = [
  { key: '$id', type: 'string' },
  { key: '$createdAt', type: 'datetime' },
  { key: '$updatedAt', type: 'datetime' },
];

/** Keys a `select` may name besides the schema's attributes (documents always carry them). */
const SELECTABLE_SYSTEM_KEYS = new Set(['$id', '$createdAt', '$updatedAt', '$permissions', '$collectionId', '$databaseId']);

const TEXT_METHODS = new Set([QueryMethod.EndsWith, QueryMethod.Search, QueryMethod.StartsWith]);

/**
 * Checks parsed queries against a collection schema the way 1.3 does (in request order, first error
 * wins): unknown attributes, strictly typed values, at most 100 values per filter, `search` only on an
 * attribute with its own fulltext index, orders and selects on known keys, and the schema's method
 * and attribute allow-lists. Errors are 400 `general_argument_invalid`.
 *
 * @returns the same groups, for chaining.
 */
export function validateQueries(groups: QueryGroups, schema: QuerySchema): QueryGroups {
  const attributes = attributeMap(schema);
  for (const query of groups.queries) {
    if (schema.allowedMethods && !schema.allowedMethods.includes(query.method)) throw queryMethodNotValid(query.method);
    if (FILTER_METHODS.has(query.method)) {
      validateFilter(query, attributes, schema);
    } else if (query.method === QueryMethod.OrderAsc || query.method === QueryMethod.OrderDesc) {
      if (query.attribute !== '') lookup(attributes, query.attribute);
    } else if (query.method === QueryMethod.Select) {
      for (const key of query.values as string[]) {
        if (!SELECTABLE_SYSTEM_KEYS.has(key) && !schema.attributes.some((attribute) => attribute.key === key)) {
          throw queryNotValid(`Attribute not found in schema: ${key}`);
        }
      }
    }
  }
  return groups;
}

/** The queryable attributes: system ones, plus the schema's (narrowed to the allow-list if any). */
function attributeMap(schema: QuerySchema): Map<string, AttributeSchema> {
  const map = new Map<string, AttributeSchema>();
  const allowed = schema.allowedAttributes && new Set(schema.allowedAttributes);
  for (const attribute of schema.attributes) {
    if (!allowed || allowed.has(attribute.key)) map.set(attribute.key, attribute);
  }
  for (const attribute of SYSTEM_ATTRIBUTES) map.set(attribute.key, attribute);
  return map;
}

function lookup(attributes: Map<string, AttributeSchema>, key: string): AttributeSchema {
  const attribute = attributes.get(key);
  if (!attribute) throw queryNotValid(`Attribute not found in schema: ${key}`);
  return attribute;
}

function validateFilter(query: ParsedQuery, attributes: Map<string, AttributeSchema>, schema: QuerySchema): void {
  const attribute = lookup(attributes, query.attribute);
  if (query.values.length > MAX_FILTER_VALUES) {
    throw queryNotValid(`Query on attribute has more than ${MAX_FILTER_VALUES} values: ${query.attribute}`);
  }
  const expected = baseType(attribute.type);
  if (query.kinds.some((kind) => !kindMatches(kind, expected))) {
    throw queryNotValid(`Query type does not match expected: ${expected}`);
  }
  if (TEXT_METHODS.has(query.method) && expected !== 'string') {
    throw queryNotValid(`The ${query.method} method needs a string attribute, "${query.attribute}" is ${expected}.`);
  }
  if (query.method === QueryMethod.Search && !hasFulltextIndex(schema, query.attribute)) {
    throw queryNotValid(`Searching by attribute "${query.attribute}" requires a fulltext index.`);
  }
}

/** email, enum, ip and url are strings with a format in the 1.3 database library. */
function baseType(type: AttributeType): string {
  return type === 'email' || type === 'enum' || type === 'ip' || type === 'url' ? 'string' : type;
}

/** 1.3 compares PHP's gettype() strictly; datetimes are strings and doubles accept integers. */
function kindMatches(kind: ValueKind, expected: string): boolean {
  if (expected === 'datetime') return kind === 'string';
  if (expected === 'double') return kind === 'double' || kind === 'integer';
  return kind === expected;
}

function hasFulltextIndex(schema: QuerySchema, key: string): boolean {
  return (schema.indexes ?? []).some((index) => index.type === 'fulltext' && index.attributes.length === 1 && index.attributes[0] === key);
}
