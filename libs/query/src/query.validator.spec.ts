import { AppException } from '@appconda/core';

import { parseQueries } from './query.groups';
import { getDocumentSchema, SystemListSchemas } from './query.presets';
import { QuerySchema } from './query.types';
import { validateQueries } from './query.validator';

const schema: QuerySchema = {
  attributes: [
    { key: 'title', type: 'string' },
    { key: 'body', type: 'string' },
    { key: 'age', type: 'integer' },
    { key: 'price', type: 'double' },
    { key: 'active', type: 'boolean' },
    { key: 'publishedAt', type: 'datetime' },
    { key: 'contact', type: 'email' },
    { key: 'color', type: 'enum' },
    { key: 'host', type: 'ip' },
    { key: 'site', type: 'url' },
    { key: 'tags', array: true, type: 'string' },
    { key: 'author', type: 'relationship' },
  ],
  indexes: [
    { attributes: ['body'], type: 'fulltext' },
    { attributes: ['title', 'body'], type: 'fulltext' },
    { attributes: ['title'], type: 'key' },
  ],
};

function validate(queries: string[], against: QuerySchema = schema) {
  return validateQueries(parseQueries(queries), against);
}

function messageOf(queries: string[], against: QuerySchema = schema): string {
  try {
    validate(queries, against);
  } catch (error) {
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).type).toBe('general_argument_invalid');
    expect((error as AppException).code).toBe(400);
    return (error as AppException).message;
  }
  throw new Error('expected validation to fail');
}

describe('validateQueries', () => {
  it.each([
    'equal("title", ["a", "b"])',
    'equal("age", [5])',
    'between("age", [1, 10])',
    'equal("price", [5])',
    'lessThan("price", [5.5])',
    'equal("active", [true])',
    'greaterThan("publishedAt", ["2023-01-01T00:00:00.000+00:00"])',
    'equal("contact", ["a@b.c"])',
    'equal("color", ["red"])',
    'equal("host", ["127.0.0.1"])',
    'startsWith("site", ["https://"])',
    'endsWith("title", ["x"])',
    'equal("tags", ["news"])',
    'search("body", ["hello"])',
    'isNull("author")',
    'isNotNull("title")',
    'equal("$id", ["abc"])',
    'greaterThan("$createdAt", ["2023-01-01"])',
    'lessThan("$updatedAt", ["2023-01-01"])',
    'orderAsc("title")',
    'orderDesc("$createdAt")',
    'orderAsc()',
    'select(["title", "$id", "$permissions"])',
    'limit(5)',
    'cursorAfter("abc")',
  ])('accepts %s', (query) => {
    expect(() => validate([query])).not.toThrow();
  });

  it('returns the groups it was given', () => {
    const groups = parseQueries(['limit(1)']);
    expect(validateQueries(groups, schema)).toBe(groups);
  });

  it.each([
    ['equal("nope", ["a"])', 'Query not valid: Attribute not found in schema: nope'],
    ['orderAsc("nope")', 'Query not valid: Attribute not found in schema: nope'],
    ['select(["title", "nope"])', 'Query not valid: Attribute not found in schema: nope'],
    ['equal("age", ["5"])', 'Query not valid: Query type does not match expected: integer'],
    ['equal("age", [5.0])', 'Query type does not match expected: integer'],
    ['equal("age", [null])', 'Query type does not match expected: integer'],
    ['equal("price", ["5"])', 'Query type does not match expected: double'],
    ['equal("active", ["true"])', 'Query type does not match expected: boolean'],
    ['equal("active", [1])', 'Query type does not match expected: boolean'],
    ['equal("publishedAt", [20230101])', 'Query type does not match expected: datetime'],
    ['equal("title", [5])', 'Query type does not match expected: string'],
    ['equal("contact", [true])', 'Query type does not match expected: string'],
    ['between("age", [1, "10"])', 'Query type does not match expected: integer'],
    ['equal("author", ["x"])', 'Query type does not match expected: relationship'],
    ['startsWith("age", [5])', 'The startsWith method needs a string attribute, "age" is integer.'],
    ['search("title", ["x"])', 'Query not valid: Searching by attribute "title" requires a fulltext index.'],
    ['search("tags", ["x"])', 'Searching by attribute "tags" requires a fulltext index.'],
  ])('rejects %s', (query, message) => {
    expect(messageOf([query])).toContain(message);
  });

  it('allows 100 values in one filter but not 101', () => {
    const values = (count: number) => Array.from({ length: count }, (_, index) => index).join(',');
    expect(() => validate([`equal("age", [${values(100)}])`])).not.toThrow();
    expect(messageOf([`equal("age", [${values(101)}])`])).toBe('Query not valid: Query on attribute has more than 100 values: age');
  });

  it('reports the first invalid query in request order', () => {
    expect(messageOf(['equal("age", [1])', 'orderAsc("zzz")', 'equal("yyy", [1])'])).toContain('zzz');
  });

  describe('system lists', () => {
    const users = SystemListSchemas.users;

    it.each([
      'equal("name", ["Ann"])',
      'equal("email", ["a@b.c"])',
      'equal("phone", ["+15551234"])',
      'equal("status", [true])',
      'greaterThan("passwordUpdate", ["2023-01-01"])',
      'lessThan("registration", ["2023-01-01"])',
      'equal("emailVerification", [false])',
      'equal("phoneVerification", [true])',
      'equal("$id", ["u1"])',
      'orderDesc("$createdAt")',
      'orderAsc("name")',
      'limit(10)',
      'offset(10)',
      'cursorAfter("u1")',
    ])('users accepts %s', (query) => {
      expect(() => validate([query], users)).not.toThrow();
    });

    it.each([
      ['equal("password", ["x"])', 'Query not valid: Attribute not found in schema: password'],
      ['equal("prefs", ["x"])', 'Attribute not found in schema: prefs'],
      ['orderAsc("hash")', 'Attribute not found in schema: hash'],
      ['equal("status", ["true"])', 'Query type does not match expected: boolean'],
      ['search("name", ["ann"])', 'Searching by attribute "name" requires a fulltext index.'],
      ['select(["name"])', 'Query method not valid: select'],
    ])('users rejects %s', (query, message) => {
      expect(messageOf([query], users)).toContain(message);
    });

    it('buckets can search by name (its own fulltext index)', () => {
      expect(() => validate(['search("name", ["photos"])'], SystemListSchemas.buckets)).not.toThrow();
    });

    it('logs lists take only limit and offset', () => {
      expect(() => validate(['limit(5)', 'offset(5)'], SystemListSchemas.logs)).not.toThrow();
      expect(messageOf(['equal("$id", ["a"])'], SystemListSchemas.logs)).toBe('Query method not valid: equal');
      expect(messageOf(['orderAsc("$id")'], SystemListSchemas.logs)).toBe('Query method not valid: orderAsc');
    });

    it('getDocument takes only select', () => {
      const sut = getDocumentSchema(schema.attributes);
      expect(() => validate(['select(["title"])'], sut)).not.toThrow();
      expect(messageOf(['limit(1)'], sut)).toBe('Query method not valid: limit');
    });

    it('has a preset for every documented list allow-list', () => {
      expect(SystemListSchemas.teams.allowedAttributes).toEqual(['name', 'total']);
      expect(SystemListSchemas.memberships.allowedAttributes).toEqual(['confirm', 'invited', 'joined', 'teamId', 'userId']);
      expect(Object.keys(SystemListSchemas).sort()).toEqual(
        ['buckets', 'collections', 'databases', 'deployments', 'executions', 'files', 'functions', 'logs', 'memberships', 'projects', 'teams', 'users'],
      );
    });
  });
});
