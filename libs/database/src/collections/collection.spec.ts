import { collectionFit, columnType, columnWidth } from './collection.columns';
import { addAttributeSql, collectionTableName, createIndexSql, quoteKey } from './collection.ddl';
import { permissionCondition, replacePermissionsSql } from './collection.queries';
import { quoteIdentifier } from '../database.settings';
import { assertProjectId } from '../repositories/scoped.repository';

describe('columnType', () => {
  it.each([
    [{ key: 'a', type: 'string', size: 128 }, 'VARCHAR(128)'],
    [{ key: 'a', type: 'string', size: 16381 }, 'VARCHAR(16381)'],
    [{ key: 'a', type: 'string', size: 16382 }, 'TEXT'],
    [{ key: 'a', type: 'string', size: 65536 }, 'MEDIUMTEXT'],
    [{ key: 'a', type: 'string', size: 16777216 }, 'LONGTEXT'],
    [{ key: 'a', type: 'string', size: 10, format: 'email' }, 'VARCHAR(254)'],
    [{ key: 'a', type: 'string', format: 'url' }, 'VARCHAR(2000)'],
    [{ key: 'a', type: 'string', format: 'ip' }, 'VARCHAR(39)'],
    [{ key: 'a', type: 'string', size: 12, format: 'enum' }, 'VARCHAR(12)'],
    [{ key: 'a', type: 'integer', size: 4 }, 'INT'],
    [{ key: 'a', type: 'integer', size: 8, signed: false }, 'BIGINT UNSIGNED'],
    [{ key: 'a', type: 'double' }, 'DOUBLE'],
    [{ key: 'a', type: 'boolean' }, 'TINYINT(1)'],
    [{ key: 'a', type: 'datetime' }, 'DATETIME(3)'],
    [{ key: 'a', type: 'relationship' }, 'VARCHAR(255)'],
    [{ key: 'a', type: 'integer', array: true }, 'JSON'],
  ] as const)('%j -> %s', (attribute, expected) => {
    expect(columnType(attribute)).toBe(expected);
  });

  it('counts widths as InnoDB does for the row limit', () => {
    expect(columnWidth('VARCHAR(10)')).toBe(41);
    expect(columnWidth('VARCHAR(100)')).toBe(402);
    expect(columnWidth('LONGTEXT')).toBe(12);
    expect(columnWidth('DATETIME(3)')).toBe(7);
  });

  it('refuses a collection that would exceed the row width or column count', () => {
    expect(collectionFit([{ key: 'a', type: 'string', size: 16000 }]).fits).toBe(true);
    expect(collectionFit(['a', 'b'].map((key) => ({ key, type: 'string', size: 16000 }))).fits).toBe(false);
    const many = Array.from({ length: 1013 }, (_, i) => ({ key: `k${i}`, type: 'boolean' as const }));
    expect(collectionFit(many).fits).toBe(false);
    expect(collectionFit(many.slice(1)).fits).toBe(true);
  });
});

describe('naming and quoting', () => {
  it('names collection tables by internal sequences only', () => {
    expect(collectionTableName(12, '3', 7)).toBe('_12_3_7');
    expect(() => collectionTableName('1', 'x; DROP', '3')).toThrow();
  });

  it('rejects identifiers that could escape quoting', () => {
    expect(quoteKey('first.name-2')).toBe('`first.name-2`');
    expect(() => quoteKey('a`b')).toThrow();
    expect(() => quoteKey('_hidden')).toThrow();
    expect(() => quoteIdentifier('x` OR 1')).toThrow();
    expect(() => addAttributeSql('_1_1_1', { key: 'a b', type: 'boolean' })).toThrow();
  });

  it('requires a project id', () => {
    expect(() => assertProjectId('')).toThrow();
    expect(() => assertProjectId(undefined as unknown as string)).toThrow();
    expect(assertProjectId('console')).toBe('console');
  });
});

describe('createIndexSql', () => {
  const attributes = [
    { key: 'title', type: 'string', size: 2000 },
    { key: 'age', type: 'integer' },
    { key: 'tags', type: 'string', size: 10, array: true },
  ] as const;

  it('prefixes long strings so the index key fits', () => {
    expect(createIndexSql('_1_1_1', { key: 'byTitle', type: 'key', attributes: ['title'] }, attributes)).toBe('CREATE INDEX IF NOT EXISTS `byTitle` ON `_1_1_1` (`title`(767))');
    // The INT takes 4 bytes of the 3,072, and the two strings share the rest.
    expect(createIndexSql('_1_1_1', { key: 'mixed', type: 'key', attributes: ['title', 'age', 'title2'], orders: ['ASC', 'DESC'] }, [...attributes, { key: 'title2', type: 'string', size: 100 }])).toBe(
      'CREATE INDEX IF NOT EXISTS `mixed` ON `_1_1_1` (`title`(382), `age` DESC, `title2`)',
    );
    expect(createIndexSql('_1_1_1', { key: 'ft', type: 'fulltext', attributes: ['title'] }, attributes)).toBe('CREATE FULLTEXT INDEX IF NOT EXISTS `ft` ON `_1_1_1` (`title`)');
  });

  it('refuses array attributes and unknown attributes', () => {
    expect(() => createIndexSql('_1_1_1', { key: 'i', type: 'key', attributes: ['tags'] }, attributes)).toThrow(/array/);
    expect(() => createIndexSql('_1_1_1', { key: 'i', type: 'key', attributes: ['nope'] }, attributes)).toThrow(/unknown/);
  });
});

describe('permission SQL', () => {
  it('binds every role and matches nothing without roles', () => {
    expect(permissionCondition('_1_1_1', ['any', 'user:u1'])).toEqual({
      sql: 'EXISTS (SELECT 1 FROM `_1_1_1_perms` AS p WHERE p._document = `main`._uid AND p._type = ? AND p._permission IN (?, ?))',
      params: ['read', 'any', 'user:u1'],
    });
    expect(permissionCondition('_1_1_1', []).sql).toBe('1 = 0');
  });

  it('replaces grants with one delete and one de-duplicated insert', () => {
    const statements = replacePermissionsSql('_1_1_1', 'doc', [
      { type: 'read', role: 'any' },
      { type: 'read', role: 'any' },
      { type: 'update', role: 'user:u1' },
    ]);
    expect(statements).toHaveLength(2);
    expect(statements[1].params).toEqual(['read', 'any', 'doc', 'update', 'user:u1', 'doc']);
  });
});
