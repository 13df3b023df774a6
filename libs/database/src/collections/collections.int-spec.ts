import { compileQueries, parseQueries } from '@appconda/query';
import { createTestDatabase, TestDatabase } from '@appconda/testing';

import { AttributeSpec, collectionFit } from './collection.columns';
import { addAttributeSql, collectionTableName, createCollectionSql, createIndexSql, dropCollectionSql } from './collection.ddl';
import { countDocumentsSql, MAIN, replacePermissionsSql, selectDocumentsSql, SqlStatement } from './collection.queries';

describe('user collection tables', () => {
  let db: TestDatabase;
  const table = collectionTableName(1, 2, 3);
  const attributes: AttributeSpec[] = [
    { key: 'title', type: 'string', size: 2000 },
    { key: 'age', type: 'integer', size: 8 },
    { key: 'tags', type: 'string', size: 32, array: true },
  ];

  async function run(statement: SqlStatement | string) {
    return typeof statement === 'string' ? db.pool.query(statement) : db.pool.query(statement.sql, statement.params);
  }

  async function insert(uid: string, title: string, age: number, grants: { type: 'read' | 'update'; role: string }[]) {
    const now = new Date();
    await run({ sql: `INSERT INTO \`${table}\` (_uid, _createdAt, _updatedAt, _permissions, title, age, tags) VALUES (?, ?, ?, ?, ?, ?, ?)`, params: [uid, now, now, '[]', title, age, '[]'] });
    for (const statement of replacePermissionsSql(table, uid, grants)) await run(statement);
  }

  async function list(queries: string[], roles: string[] | null): Promise<{ ids: string[]; total: number }> {
    const compiled = compileQueries(parseQueries(queries), { table: MAIN });
    const rows = (await run(selectDocumentsSql(table, compiled, roles))) as { _uid: string }[];
    const [count] = (await run(countDocumentsSql(table, compiled, roles))) as { total: number }[];
    return { ids: rows.map((row) => row._uid), total: Number(count.total) };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const statement of createCollectionSql(table, attributes.slice(0, 1))) await run(statement);
    // Attributes added later arrive by ALTER TABLE, idempotently.
    for (const attribute of attributes.slice(1)) {
      await run(addAttributeSql(table, attribute));
      await run(addAttributeSql(table, attribute));
    }
    await run(createIndexSql(table, { key: 'byAge', type: 'key', attributes: ['age', 'title'] }, attributes));
    await insert('d1', 'public', 30, [{ type: 'read', role: 'any' }]);
    await insert('d2', 'mine', 30, [{ type: 'read', role: 'user:u1' }, { type: 'update', role: 'user:u1' }]);
    await insert('d3', 'team', 40, [{ type: 'read', role: 'team:t1' }]);
    await insert('d4', 'writable only', 30, [{ type: 'update', role: 'any' }]);
  });

  afterAll(async () => {
    if (db) for (const statement of dropCollectionSql(table)) await run(statement);
    await db?.drop();
  });

  it('filters by the caller roles inside the one list statement', async () => {
    expect(await list([], ['any'])).toEqual({ ids: ['d1'], total: 1 });
    expect(await list([], ['any', 'users', 'user:u1'])).toEqual({ ids: ['d1', 'd2'], total: 2 });
    expect(await list([], ['any', 'team:t1'])).toEqual({ ids: ['d1', 'd3'], total: 2 });
    expect(await list([], [])).toEqual({ ids: [], total: 0 });
  });

  it('combines compiled queries, ordering and paging with the read check', async () => {
    expect(await list(['equal("age", [30])'], ['any', 'user:u1', 'team:t1'])).toEqual({ ids: ['d1', 'd2'], total: 2 });
    expect(await list(['orderDesc("age")', 'limit(1)'], ['any', 'user:u1', 'team:t1'])).toEqual({ ids: ['d3'], total: 3 });
    expect(await list(['limit(2)', 'offset(1)'], null)).toEqual({ ids: ['d2', 'd3'], total: 4 });
  });

  it('agrees with MariaDB on the row width limit', async () => {
    const wide = (n: number): AttributeSpec[] => Array.from({ length: n }, (_, i) => ({ key: `s${i}`, type: 'string', size: 4000 }));
    expect(collectionFit(wide(4)).fits).toBe(true);
    expect(collectionFit(wide(5)).fits).toBe(false);
    const fitting = collectionTableName(1, 2, 900);
    const tooWide = collectionTableName(1, 2, 901);
    try {
      for (const statement of createCollectionSql(fitting, wide(4))) await run(statement);
      await expect(run(createCollectionSql(tooWide, wide(5))[0])).rejects.toThrow(/row size|too large/i);
    } finally {
      for (const statement of [...dropCollectionSql(fitting), ...dropCollectionSql(tooWide)]) await run(statement);
    }
  });
});
