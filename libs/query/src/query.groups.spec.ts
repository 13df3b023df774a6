import { AppException } from '@appconda/core';

import { cursorNotFound } from './query.errors';
import { DEFAULT_LIMIT, parseQueries, withSearch } from './query.groups';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).type).toBe('general_argument_invalid');
    expect((error as AppException).code).toBe(400);
    return (error as AppException).message;
  }
  throw new Error('expected the call to throw');
}

describe('parseQueries', () => {
  it('defaults to 25 rows from offset 0, natural order, no cursor, all attributes', () => {
    for (const input of [undefined, null, []]) {
      expect(parseQueries(input)).toEqual({ cursor: null, filters: [], limit: DEFAULT_LIMIT, offset: 0, orders: [], queries: [], selections: null });
    }
    expect(DEFAULT_LIMIT).toBe(25);
  });

  it('sorts queries into groups', () => {
    const sut = parseQueries([
      'select(["a"])',
      'equal("a", ["x"])',
      'orderAsc("a")',
      'isNull("b")',
      'select(["b", "a"])',
      'orderDesc()',
      'cursorBefore("doc1")',
    ]);
    expect(sut.filters.map((query) => query.source)).toEqual(['equal("a", ["x"])', 'isNull("b")']);
    expect(sut.selections).toEqual(['a', 'b']);
    expect(sut.orders).toEqual([
      { attribute: 'a', direction: 'ASC' },
      { attribute: '', direction: 'DESC' },
    ]);
    expect(sut.cursor).toEqual({ direction: 'before', id: 'doc1' });
    expect(sut.queries).toHaveLength(7);
  });

  it('keeps the first limit, offset and cursor like 1.3 does', () => {
    const sut = parseQueries(['limit(5)', 'limit(7)', 'offset(3)', 'offset(9)', 'cursorAfter("a")', 'cursorBefore("b")']);
    expect(sut).toMatchObject({ cursor: { direction: 'after', id: 'a' }, limit: 5, offset: 3 });
  });

  it('has no upper bound on limit and offset (1.3.8)', () => {
    expect(parseQueries(['limit(1000000)', 'offset(5000000)'])).toMatchObject({ limit: 1000000, offset: 5000000 });
  });

  it.each([
    ['limit(0)', 'Query not valid: Invalid limit: value must be an integer of at least 1.'],
    ['limit(-1)', 'Invalid limit'],
    ['limit(2.5)', 'Invalid limit'],
    ['limit("5")', 'Invalid limit'],
    ['limit(true)', 'Invalid limit'],
    ['offset(-1)', 'Query not valid: Invalid offset: value must be an integer of at least 0.'],
    ['offset(1.0)', 'Invalid offset'],
    ['cursorAfter(5)', 'Query not valid: Invalid cursor'],
    ['cursorAfter("")', 'Invalid cursor'],
    ['cursorBefore("_abc")', 'Invalid cursor'],
    ['cursorBefore("a b")', 'Invalid cursor'],
    [`cursorAfter("${'a'.repeat(37)}")`, 'Invalid cursor'],
    ['select([1])', 'Query not valid: Select queries take attribute names as strings.'],
  ])('rejects %s', (query, message) => {
    expect(messageOf(() => parseQueries([query]))).toContain(message);
  });

  it('accepts 100 queries and rejects 101', () => {
    expect(parseQueries(Array.from({ length: 100 }, () => 'isNull("a")')).filters).toHaveLength(100);
    expect(messageOf(() => parseQueries(Array.from({ length: 101 }, () => 'isNull("a")')))).toBe(
      'Invalid `queries` param: at most 100 queries are allowed, got 101',
    );
  });

  it('rejects a query longer than 4096 characters before parsing it', () => {
    expect(messageOf(() => parseQueries(['limit(1)', `equal("a", ["${'x'.repeat(4090)}"])`]))).toBe(
      'Invalid `queries` param: query 1 is longer than 4096 characters',
    );
  });

  it('rejects a param that is not a list of strings', () => {
    expect(messageOf(() => parseQueries('limit(1)'))).toContain('must be an array');
    expect(messageOf(() => parseQueries([5]))).toContain('query 0 is not a string');
  });

  it('surfaces the parse error of the first bad query', () => {
    expect(messageOf(() => parseQueries(['limit(1)', 'equal("a", [x])']))).toMatch(/^Invalid query: unquoted value "x"/);
  });
});

describe('withSearch', () => {
  it('adds a fulltext filter on the internal search attribute', () => {
    const groups = parseQueries(['equal("name", ["a"])']);
    const sut = withSearch(groups, 'ann');
    expect(sut.filters).toHaveLength(2);
    expect(sut.filters[1]).toMatchObject({ attribute: 'search', method: 'search', values: ['ann'] });
    expect(groups.filters).toHaveLength(1);
  });

  it('ignores an empty term and rejects one over 256 characters', () => {
    const groups = parseQueries([]);
    expect(withSearch(groups, '')).toBe(groups);
    expect(withSearch(groups, undefined)).toBe(groups);
    expect(withSearch(groups, 'x'.repeat(256)).filters).toHaveLength(1);
    expect(messageOf(() => withSearch(groups, 'x'.repeat(257)))).toContain('Invalid `search` param');
  });
});

describe('cursorNotFound', () => {
  it('is the 1.3 400 general_cursor_not_found error', () => {
    const sut = cursorNotFound('abc');
    expect(sut).toMatchObject({ code: 400, type: 'general_cursor_not_found' });
    expect(sut.message).toContain('abc');
  });
});
