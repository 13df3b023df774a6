import { randomBytes } from 'node:crypto';

import { Connection, createConnection } from 'mariadb';

import { compileQueries, INTERNAL_ID, toSqlClauses } from './query.compiler';
import { parseQueries } from './query.groups';
import { QuerySchema } from './query.types';
import { validateQueries } from './query.validator';

/** Runs compiled queries against a real MariaDB table shaped like an Appwrite collection. */
describe('compiled queries on MariaDB', () => {
  const database = `appconda_t_${randomBytes(6).toString('hex')}`;
  const schema: QuerySchema = {
    attributes: [
      { key: 'title', type: 'string' },
      { key: 'body', type: 'string' },
      { key: 'n', type: 'integer' },
      { key: 'price', type: 'double' },
      { key: 'active', type: 'boolean' },
    ],
    indexes: [{ attributes: ['body'], type: 'fulltext' }],
  };
  const rows: [string, string | null, string, number | null, number, boolean][] = [
    ['a1', 'Apple pie', 'delicious apple dessert', 5, 1.5, true],
    ['a2', '50% off sale', 'discount banana offer', 10, 2, false],
    ['a3', '50 percent', 'banana smoothie recipe', 15, 2.5, true],
    ['a4', 'Banana_split', 'ice cream dessert', 20, 3, true],
    ['a5', 'BananaXsplit', 'apple cider vinegar', 20, 3.5, false],
    ['a6', null, 'zebra crossing', null, 4, true],
    ['a7', 'Plain', 'plain yoghurt', 10, 4.5, false],
    ['a8', 'Quote \' "x"', 'lemon tart', null, 5, true],
  ];
  let db: Connection;

  beforeAll(async () => {
    db = await createConnection({ host: '127.0.0.1', password: '', port: 3306, user: 'root' });
    await db.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
    await db.query(`USE \`${database}\``);
    await db.query(`CREATE TABLE docs (
      _id INT AUTO_INCREMENT PRIMARY KEY,
      _uid VARCHAR(36) NOT NULL UNIQUE,
      _createdAt DATETIME(3) NOT NULL,
      title VARCHAR(255) NULL,
      body TEXT NULL,
      n INT NULL,
      price DOUBLE NULL,
      active TINYINT(1) NULL,
      FULLTEXT KEY ft_body (body),
      KEY idx_n (n)
    ) ENGINE=InnoDB`);
    for (const [index, row] of rows.entries()) {
      await db.query('INSERT INTO docs (_uid, _createdAt, title, body, n, price, active) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        row[0],
        `2023-05-0${index + 1} 10:00:00.000`,
        ...row.slice(1),
      ]);
    }
  });

  afterAll(async () => {
    await db?.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await db?.end();
  });

  /** Runs the queries like a list route would: validate, load the cursor row, compile, select. */
  async function find(queries: string[]): Promise<string[]> {
    const groups = validateQueries(parseQueries(queries), schema);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const [found] = await db.query('SELECT * FROM docs WHERE _uid = ?', [groups.cursor.id]);
      if (!found) throw new Error(`cursor ${groups.cursor.id} not found`);
      cursorRow = { ...found, $createdAt: found._createdAt, $id: found._uid, [INTERNAL_ID]: found._id };
    }
    const compiled = compileQueries(groups, { cursorRow, schema });
    const { params, sql } = toSqlClauses(compiled);
    const result: { _uid: string }[] = await db.query(`SELECT _uid FROM docs${sql}`, params);
    const ids = result.map((row) => row._uid);
    return compiled.reverse ? ids.reverse() : ids;
  }

  it('filters with equal, IN, comparisons, between and null checks', async () => {
    expect(await find(['equal("n", [10])'])).toEqual(['a2', 'a7']);
    expect(await find(['equal("$id", ["a1", "a3"])'])).toEqual(['a1', 'a3']);
    expect(await find(['between("n", [10, 15])'])).toEqual(['a2', 'a3', 'a7']);
    expect(await find(['greaterThanEqual("price", [4])', 'equal("active", [true])'])).toEqual(['a6', 'a8']);
    expect(await find(['isNull("n")'])).toEqual(['a6', 'a8']);
    expect(await find(['isNotNull("title")', 'lessThan("n", [10])'])).toEqual(['a1']);
    expect(await find(['notEqual("n", [20])', 'lessThan("price", [4])'])).toEqual(['a1', 'a2', 'a3']);
    expect(await find(['greaterThan("$createdAt", ["2023-05-07T00:00:00.000+00:00"])'])).toEqual(['a7', 'a8']);
  });

  it('treats % and _ in startsWith/endsWith terms literally', async () => {
    expect(await find(['startsWith("title", ["50%"])'])).toEqual(['a2']);
    expect(await find(['startsWith("title", ["50"])'])).toEqual(['a2', 'a3']);
    expect(await find(['startsWith("title", ["Banana_"])'])).toEqual(['a4']);
    expect(await find(['endsWith("title", ["_split"])'])).toEqual(['a4']);
    expect(await find(['endsWith("title", ["split"])'])).toEqual(['a4', 'a5']);
  });

  it('searches the fulltext index with prefix matching', async () => {
    expect(await find(['search("body", ["apple"])'])).toEqual(['a1', 'a5']);
    expect(await find(['search("body", ["dess"])'])).toEqual(['a1', 'a4']);
    expect(await find(['search("body", ["banana -discount"])'])).toEqual(['a2', 'a3']);
  });

  it('keeps hostile values as data', async () => {
    expect(await find(['equal("title", ["x\' OR \'1\'=\'1"])'])).toEqual([]);
    expect(await find(['equal("title", ["Quote \' \\"x\\""])'])).toEqual(['a8']);
    expect(await find(['equal("title", ["Quote \' "x""])'])).toEqual(['a8']);
    expect(await find(['startsWith("title", ["\'; DROP TABLE docs; --"])'])).toEqual([]);
    expect(await find([])).toHaveLength(rows.length);
  });

  it('applies order, limit and offset', async () => {
    expect(await find(['orderDesc("n")', 'limit(3)'])).toEqual(['a5', 'a4', 'a3']);
    expect(await find(['orderDesc("n")', 'limit(3)', 'offset(3)'])).toEqual(['a7', 'a2', 'a1']);
  });

  it.each([
    [['orderDesc("n")']],
    [['orderAsc("n")']],
    [['orderAsc("title")', 'orderDesc("price")']],
    [['orderDesc("active")', 'orderAsc("n")']],
    [[]],
  ])('pages with cursors in both directions for %j', async (orders) => {
    const everything = await find([...orders, 'limit(100)']);
    expect(everything).toHaveLength(rows.length);

    const forward: string[] = [];
    let page = await find([...orders, 'limit(3)']);
    while (page.length) {
      forward.push(...page);
      page = await find([...orders, 'limit(3)', `cursorAfter("${page[page.length - 1]}")`]);
    }
    expect(forward).toEqual(everything);

    const backward: string[] = [];
    page = await find([...orders, 'limit(3)', `cursorBefore("${everything[everything.length - 1]}")`]);
    while (page.length) {
      backward.unshift(...page);
      page = await find([...orders, 'limit(3)', `cursorBefore("${page[0]}")`]);
    }
    expect(backward).toEqual(everything.slice(0, -1));
  });

  it.each([
    [['greaterThan("n", [0])', 'orderDesc("n")', 'limit(3)']],
    [['greaterThan("n", [0])', 'orderAsc("n")', 'limit(3)']],
    [['orderDesc("n")', 'limit(3)', 'cursorAfter("a3")']],
    [['orderDesc("n")', 'limit(3)', 'cursorBefore("a3")']],
  ])('reads the index in order, without a filesort, for %j', async (queries) => {
    const groups = validateQueries(parseQueries(queries), schema);
    const [cursor] = groups.cursor ? await db.query('SELECT * FROM docs WHERE _uid = ?', [groups.cursor.id]) : [];
    const cursorRow = cursor && { ...cursor, [INTERNAL_ID]: cursor._id };
    const { params, sql } = toSqlClauses(compileQueries(groups, { cursorRow, schema }));
    // FORCE INDEX: with 8 rows the optimiser would rather scan; the point is that walking idx_n yields the order.
    const plan: { Extra: string | null; key: string | null }[] = await db.query(`EXPLAIN SELECT _uid FROM docs FORCE INDEX (idx_n)${sql}`, params);
    expect(plan[0].key).toBe('idx_n');
    expect(plan[0].Extra ?? '').not.toContain('filesort');
  });
});
