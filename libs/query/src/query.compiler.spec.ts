import { AppException } from '@appconda/core';

import { compileQueries, defaultColumn, escapeLike, fulltextTerm, INTERNAL_ID, toSqlClauses } from './query.compiler';
import { parseQueries, withSearch } from './query.groups';
import { QuerySchema } from './query.types';

const compile = (queries: string[], options: Parameters<typeof compileQueries>[1] = {}) => compileQueries(parseQueries(queries), options);

describe('compileQueries', () => {
  it('compiles nothing to the natural order', () => {
    expect(compile([])).toEqual({ limit: 25, offset: 0, orderBy: '`_id` ASC', params: [], reverse: false, where: '', countWhere: '', countParams: [] });
  });

  it.each([
    ['equal("a", ["x"])', '`a` = ?', ['x']],
    ['equal("a", ["x", "y", "z"])', '`a` IN (?, ?, ?)', ['x', 'y', 'z']],
    ['notEqual("a", ["x"])', '`a` != ?', ['x']],
    ['notEqual("a", ["x", "y"])', '(`a` != ? OR `a` != ?)', ['x', 'y']],
    ['lessThan("n", [5])', '`n` < ?', [5]],
    ['lessThanEqual("n", [5])', '`n` <= ?', [5]],
    ['greaterThan("n", [1, 2])', '(`n` > ? OR `n` > ?)', [1, 2]],
    ['greaterThanEqual("n", [1.5])', '`n` >= ?', [1.5]],
    ['between("n", [1, 10])', '`n` BETWEEN ? AND ?', [1, 10]],
    ['isNull("a")', '`a` IS NULL', []],
    ['isNotNull("a")', '`a` IS NOT NULL', []],
    ['equal("flag", [true])', '`flag` = ?', [true]],
    ['startsWith("a", ["50%_off!"])', "`a` LIKE ? ESCAPE '!'", ['50!%!_off!!%']],
    ['endsWith("a", ["x%"])', "`a` LIKE ? ESCAPE '!'", ['%x!%']],
    ['startsWith("a", ["p", "q"])', "(`a` LIKE ? ESCAPE '!' OR `a` LIKE ? ESCAPE '!')", ['p%', 'q%']],
    ['search("body", ["hello world"])', 'MATCH(`body`) AGAINST (? IN BOOLEAN MODE)', ['hello world*']],
    ['equal("$id", ["abc"])', '`_uid` = ?', ['abc']],
  ])('%s', (query, where, params) => {
    expect(compile([query])).toMatchObject({ params, where });
  });

  it('ANDs filters and keeps params in placeholder order', () => {
    const sut = compile(['equal("a", ["x", "y"])', 'between("n", [1, 9])', 'isNull("c")', 'startsWith("d", ["p"])']);
    expect(sut.where).toBe("`a` IN (?, ?) AND `n` BETWEEN ? AND ? AND `c` IS NULL AND `d` LIKE ? ESCAPE '!'");
    expect(sut.params).toEqual(['x', 'y', 1, 9, 'p%']);
    expect(sut.where.split('?')).toHaveLength(sut.params.length + 1);
  });

  it('keeps injection attempts out of the SQL text', () => {
    const attacks = ["x' OR '1'='1", '1; DROP TABLE users; --', '`); DELETE FROM t; --', "x'); SELECT SLEEP(5); --"];
    const queries = attacks.map((attack) => `equal("a", ["${attack.replace(/"/g, '\\"')}"])`);
    const sut = compile([...queries, 'search("b", ["x\') OR 1=1 --"])']);
    for (const attack of attacks) expect(sut.where).not.toContain(attack);
    expect(sut.where).not.toMatch(/DROP|DELETE|SLEEP|OR 1=1|'1'/);
    expect(sut.params.slice(0, attacks.length)).toEqual(attacks);
  });

  it('refuses attribute names that are not plain identifiers', () => {
    for (const attribute of ['a`b', 'a b', 'a;--', '']) {
      const error = (() => {
        try {
          compile([`equal(${JSON.stringify(attribute)}, ["x"])`]);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(AppException);
    }
  });

  it('uses the column mapper and table alias, and refuses unmapped attributes', () => {
    const column = (attribute: string) => ({ $id: '_uid', [INTERNAL_ID]: '_id', title: 'col_title' })[attribute];
    const sut = compile(['equal("title", ["x"])', 'orderDesc("title")'], { column, table: 'main' });
    expect(sut.where).toBe('`main`.`col_title` = ?');
    expect(sut.orderBy).toBe('`main`.`col_title` DESC, `main`.`_id` DESC');
    expect(() => compile(['equal("other", ["x"])'], { column })).toThrow('Attribute not found in schema: other');
  });

  it('orders by the requested attributes then the sequence, without duplicates', () => {
    expect(compile(['orderDesc("a")', 'orderAsc("b")', 'orderAsc("a")']).orderBy).toBe('`a` DESC, `b` ASC, `_id` ASC');
    expect(compile(['orderDesc()']).orderBy).toBe('`_id` DESC');
    expect(compile(['orderDesc("$createdAt")']).orderBy).toBe('`_createdAt` DESC, `_id` DESC');
  });

  it('compiles the search param of list routes as a MATCH on the search column', () => {
    const sut = compileQueries(withSearch(parseQueries(['equal("name", ["a"])']), 'ann lee'));
    expect(sut.where).toBe('`name` = ? AND MATCH(`search`) AGAINST (? IN BOOLEAN MODE)');
    expect(sut.params).toEqual(['a', 'ann lee*']);
  });

  it('passes limit and offset through and renders the clause tail', () => {
    const sut = compile(['equal("a", ["x"])', 'orderAsc("a")', 'limit(10)', 'offset(30)']);
    expect(toSqlClauses(sut)).toEqual({ params: ['x', 10, 30], sql: ' WHERE `a` = ? ORDER BY `a` ASC, `_id` ASC LIMIT ? OFFSET ?' });
    expect(toSqlClauses(compile([]))).toEqual({ params: [25, 0], sql: ' ORDER BY `_id` ASC LIMIT ? OFFSET ?' });
  });

  describe('datetimes', () => {
    const schema: QuerySchema = { attributes: [{ key: 'at', type: 'datetime' }] };

    it('normalises values of datetime attributes to UTC SQL datetimes', () => {
      const sut = compile(['greaterThan("at", ["2023-05-01T12:00:00.000+02:00"])', 'lessThan("$createdAt", ["2023-05-01 10:00:00"])'], { schema });
      expect(sut.params).toEqual(['2023-05-01 10:00:00.000', '2023-05-01 10:00:00.000']);
    });

    it('rejects values that are not dates', () => {
      expect(() => compile(['equal("at", ["soon"])'], { schema })).toThrow('Invalid datetime value: soon');
    });

    it('lets the caller convert values', () => {
      const convert = jest.fn((_attribute: string, value: unknown) => `<${value}>`);
      expect(compile(['equal("at", ["x"])'], { convert, schema }).params).toEqual(['<x>']);
      expect(convert).toHaveBeenCalledWith('at', 'x', 'datetime');
    });
  });

  describe('cursor', () => {
    const row = { [INTERNAL_ID]: 42, $id: 'doc', a: 'm', b: 7 };

    it('pages after the cursor in natural order', () => {
      const sut = compile(['cursorAfter("doc")'], { cursorRow: row });
      expect(sut).toMatchObject({ orderBy: '`_id` ASC', params: [42], reverse: false, where: '`_id` > ?' });
    });

    it('pages before the cursor by flipping the order and asking the caller to reverse', () => {
      const sut = compile(['cursorBefore("doc")'], { cursorRow: row });
      expect(sut).toMatchObject({ orderBy: '`_id` DESC', params: [42], reverse: true, where: '`_id` < ?' });
    });

    it('builds the full keyset for several orders, after the filters', () => {
      const sut = compile(['equal("c", ["x"])', 'orderDesc("a")', 'orderAsc("b")', 'cursorAfter("doc")'], { cursorRow: row });
      expect(sut.orderBy).toBe('`a` DESC, `b` ASC, `_id` ASC');
      expect(sut.where).toBe(
        '`c` = ? AND ((`a` < ? OR `a` IS NULL) OR (`a` = ? AND `b` > ?) OR (`a` = ? AND `b` = ? AND `_id` > ?))',
      );
      expect(sut.params).toEqual(['x', 'm', 'm', 7, 'm', 7, 42]);
    });

    it('flips every key for cursorBefore', () => {
      const sut = compile(['orderDesc("a")', 'cursorBefore("doc")'], { cursorRow: row });
      expect(sut.orderBy).toBe('`a` ASC, `_id` ASC');
      expect(sut.where).toBe('(`a` > ? OR (`a` = ? AND `_id` > ?))');
      expect(sut.reverse).toBe(true);
    });

    it('handles a cursor row whose order value is NULL (NULLs sort first in MariaDB)', () => {
      const nullRow = { ...row, a: null };
      expect(compile(['orderAsc("a")', 'cursorAfter("doc")'], { cursorRow: nullRow }).where).toBe(
        '(`a` IS NOT NULL OR (`a` IS NULL AND `_id` > ?))',
      );
      expect(compile(['orderDesc("a")', 'cursorAfter("doc")'], { cursorRow: nullRow }).where).toBe('(FALSE OR (`a` IS NULL AND `_id` < ?))');
    });

    it('needs the cursor row and every ordered value in it', () => {
      expect(() => compile(['cursorAfter("doc")'])).toThrow('no cursorRow');
      expect(() => compile(['orderAsc("z")', 'cursorAfter("doc")'], { cursorRow: row })).toThrow('lacks a value for "z"');
    });
  });
});

describe('helpers', () => {
  it('maps system attributes to Appwrite columns', () => {
    expect(['$id', '$createdAt', '$updatedAt', INTERNAL_ID, 'title'].map(defaultColumn)).toEqual(['_uid', '_createdAt', '_updatedAt', '_id', 'title']);
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(escapeLike('100%_!x')).toBe('100!%!_!!x');
  });

  it.each([
    ['hello', 'hello*'],
    ['hello world', 'hello world*'],
    ['"exact phrase"', '"exact phrase"'],
    ['+must -not *wild* (group) <less >more ~tilde @at', 'must not wild group less more tilde at*'],
    ['  spaced\t\nout  ', 'spaced out*'],
    ['+-*', ''],
    ['%', ''],
    ['50% off', '50 off*'],
    ["o'neil & co.", 'o neil co*'],
    ['"%"', ''],
    ['a\u0000b', 'a b*'],
    ['naïve 東京', 'naïve 東京*'],
  ])('sanitises the fulltext term %s', (input, term) => {
    expect(fulltextTerm(input)).toBe(term);
  });
});

describe('what a list total counts', () => {
  it('keeps the filters without the cursor condition', () => {
    const groups = parseQueries(['equal("a", "x")', 'cursorAfter("doc1")']);
    const sut = compileQueries(groups, { cursorRow: { $id: 'doc1', $internalId: 7 } });
    expect(sut.where).toBe('`a` = ? AND `_id` > ?');
    expect(sut.params).toEqual(['x', 7]);
    expect(sut.countWhere).toBe('`a` = ?');
    expect(sut.countParams).toEqual(['x']);
  });
});
