import { AppException } from '@appconda/core';

import { QuerySyntaxException } from './query.errors';
import { parseQuery } from './query.parser';
import { QueryMethod } from './query.types';

function errorOf(fn: () => unknown): AppException {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppException);
    return error as AppException;
  }
  throw new Error('expected the call to throw');
}

describe('parseQuery', () => {
  describe('methods', () => {
    it.each([
      ['equal("title", ["a", "b"])', QueryMethod.Equal, 'title', ['a', 'b']],
      ['notEqual("title", ["a"])', QueryMethod.NotEqual, 'title', ['a']],
      ['lessThan("n", [5])', QueryMethod.LessThan, 'n', [5]],
      ['lessThanEqual("n", [5])', QueryMethod.LessThanEqual, 'n', [5]],
      ['greaterThan("n", [5.5])', QueryMethod.GreaterThan, 'n', [5.5]],
      ['greaterThanEqual("n", [-3])', QueryMethod.GreaterThanEqual, 'n', [-3]],
      ['search("body", ["hello world"])', QueryMethod.Search, 'body', ['hello world']],
      ['startsWith("name", ["Jo"])', QueryMethod.StartsWith, 'name', ['Jo']],
      ['endsWith("name", ["hn"])', QueryMethod.EndsWith, 'name', ['hn']],
      ['isNull("a")', QueryMethod.IsNull, 'a', []],
      ['isNotNull("a")', QueryMethod.IsNotNull, 'a', []],
      ['between("n", [1, 10])', QueryMethod.Between, 'n', [1, 10]],
      ['between("n", 1, 10)', QueryMethod.Between, 'n', [1, 10]],
      ['select(["a", "b"])', QueryMethod.Select, '', ['a', 'b']],
      ['orderAsc("a")', QueryMethod.OrderAsc, 'a', []],
      ['orderDesc("a")', QueryMethod.OrderDesc, 'a', []],
      ['orderAsc()', QueryMethod.OrderAsc, '', []],
      ['limit(25)', QueryMethod.Limit, '', [25]],
      ['offset(0)', QueryMethod.Offset, '', [0]],
      ['cursorAfter("abc")', QueryMethod.CursorAfter, '', ['abc']],
      ['cursorBefore("abc")', QueryMethod.CursorBefore, '', ['abc']],
    ])('%s', (source, method, attribute, values) => {
      const sut = parseQuery(source);
      expect(sut).toMatchObject({ attribute, method, source, values });
    });

    it('takes a bare value where the SDK sends a one-element list', () => {
      expect(parseQuery('lessThan("n", 5)').values).toEqual([5]);
    });
  });

  describe('values', () => {
    it('reads integers, doubles, negatives, exponents and keeps their kind', () => {
      const sut = parseQuery('equal("n", [1, -2, 3.5, -0.25, 1e3, 1.5E-2, .5, +7, 5.0])');
      expect(sut.values).toEqual([1, -2, 3.5, -0.25, 1000, 0.015, 0.5, 7, 5]);
      expect(sut.kinds).toEqual(['integer', 'integer', 'double', 'double', 'double', 'double', 'double', 'integer', 'double']);
    });

    it('reads booleans and null, unquoted only', () => {
      const sut = parseQuery('equal("b", [true, false, null, "true", "null", "5"])');
      expect(sut.values).toEqual([true, false, null, 'true', 'null', '5']);
      expect(sut.kinds).toEqual(['boolean', 'boolean', 'null', 'string', 'string', 'string']);
    });

    it('turns integers too large for a JS number into doubles', () => {
      expect(parseQuery('equal("n", [9007199254740993])').kinds).toEqual(['double']);
    });

    it('accepts single quotes and mixes quote styles', () => {
      expect(parseQuery(`equal('title', ['it"s', "O'Brien"])`).values).toEqual(['it"s', "O'Brien"]);
    });

    it('decodes backslash escapes of quotes, commas and brackets and keeps other backslashes', () => {
      expect(parseQuery('equal("t", ["a\\"b", "c\\,d", "e\\[f\\]", "C:\\dir"])').values).toEqual(['a"b', 'c,d', 'e[f]', 'C:\\dir']);
    });

    it('keeps unescaped inner quotes the SDKs send verbatim', () => {
      expect(parseQuery('equal("t", ["say "hi" now", "x"])').values).toEqual(['say "hi" now', 'x']);
      expect(parseQuery('equal("t", ["say "hi""])').values).toEqual(['say "hi"']);
    });

    it('keeps characters that are syntax outside strings', () => {
      expect(parseQuery('equal("t", ["a, b", "(c)", "[d]", "  e  "])').values).toEqual(['a, b', '(c)', '[d]', '  e  ']);
    });

    it('handles unicode', () => {
      expect(parseQuery('equal("名前", ["żółć 🚀", "日本語"])')).toMatchObject({ attribute: '名前', values: ['żółć 🚀', '日本語'] });
    });

    it('ignores whitespace between tokens', () => {
      const sut = parseQuery('  equal (\n\t"title" ,  [ "a" ,"b" ]  )  ');
      expect(sut).toMatchObject({ attribute: 'title', values: ['a', 'b'] });
    });

    it('allows empty strings', () => {
      expect(parseQuery('equal("t", [""])').values).toEqual(['']);
    });
  });

  describe('errors', () => {
    it.each([
      ['equal("title", ["a"]', 'expected "," or ")" but found end of query'],
      ['equal("title", ["a")', 'expected "," or "]"'],
      ['equal("title", "a"])', 'expected "," or ")"'],
      ['equal("title, ["a"])', 'expected "," or ")" but found "]"'],
      ['equal("title", ["a])', 'unterminated string'],
      ['equal', 'expected "(" after the method name'],
      ['("a")', 'expected a method name'],
      ['', 'expected a method name'],
      ['equal("a", [b])', 'unquoted value "b"'],
      ['equal("a", [NaN])', 'unquoted value "NaN"'],
      ['equal("a", [undefined])', 'unquoted value "undefined"'],
      ['equal("a", [1,])', 'expected a value'],
      ['equal("a", [[1]])', 'expected a value'],
      ['equal("a", [5abc])', 'unexpected character "5"'],
      ['equal("a", [1e999])', 'out of range'],
      ['equal("a", ["x"]) extra', 'expected the end of the query'],
      ['equal("a", ["x"]);', 'unexpected character ";"'],
      ['title.equal("x")', 'pre-1.0'],
      ['equal("a")', 'equal takes 2 arguments, got 1'],
      ['equal("a", ["x"], ["y"])', 'equal takes 2 arguments, got 3'],
      ['equal("a", [])', 'equal needs at least one value'],
      ['isNull()', 'isNull takes 1 argument, got 0'],
      ['between("n", [1])', 'between takes exactly two values'],
      ['between("n", [1, 2, 3])', 'between takes exactly two values'],
      ['between("n", [1], 2)', 'expected a single value'],
      ['limit()', 'limit takes 1 argument'],
      ['limit(1, 2)', 'limit takes 1 argument'],
      ['orderAsc("a", "b")', 'orderAsc takes 0 to 1 argument'],
      ['equal(5, ["x"])', 'the attribute name must be a quoted string'],
      ['equal(["a"], ["x"])', 'the attribute name must be a quoted string'],
    ])('%s', (source, reason) => {
      const error = errorOf(() => parseQuery(source));
      expect(error).toBeInstanceOf(QuerySyntaxException);
      expect(error.type).toBe('general_argument_invalid');
      expect(error.code).toBe(400);
      expect(error.message).toMatch(/^Invalid query: /);
      expect(error.message).toContain(reason);
    });

    it('reports where parsing stopped', () => {
      const error = errorOf(() => parseQuery('equal("a", [b])')) as QuerySyntaxException;
      expect(error.position).toBe(12);
      expect(error.message).toContain('at position 12');
    });

    it.each(['contains("tags", ["a"])', 'notSearch("a", ["b"])', 'foo("a")', 'and([])'])('rejects the unknown method in %s', (source) => {
      const error = errorOf(() => parseQuery(source));
      expect(error.type).toBe('general_argument_invalid');
      expect(error.message).toBe(`Query method not valid: ${source.slice(0, source.indexOf('('))}`);
    });

    it('rejects queries longer than 4096 characters, counting characters not bytes', () => {
      const fits = `equal("a", ["${'é'.repeat(4096 - 16)}"])`;
      expect(fits).toHaveLength(4096);
      expect(parseQuery(fits).values[0]).toHaveLength(4080);
      expect(errorOf(() => parseQuery(`equal("a", ["${'x'.repeat(4096)}"])`)).message).toContain('longer than 4096');
    });
  });
});
