import * as sdk from 'node-appwrite';

import { failure } from '../../support/identity-clients';
import { allAvailable, attributeStatus, dbProject, DbProject, dbUser, DbUser, indexStatus, web } from './db-helpers';

// Documents through the web SDK (appwrite@11, a signed-in user) against `appconda all`: every attribute
// type with defaults, arrays, required values and bounds, then every 1.3 query operator, positive and
// invalid, on a seeded collection.

const { Permission, Role } = sdk;
const Q = web.Query;
const dbId = 'docs';

let p: DbProject;
let alice: DbUser;

const usersCrud = [Permission.create(Role.users()), Permission.read(Role.users()), Permission.update(Role.users()), Permission.delete(Role.users())];

beforeAll(async () => {
  p = await dbProject('db-docs');
  alice = await dbUser(p.projectId, 'alice');
  await p.db.create(dbId, 'Documents');
});

describe('documents with every attribute type', () => {
  const col = 'typed';

  beforeAll(async () => {
    await p.db.createCollection(dbId, col, 'Typed', usersCrud, false);
    await Promise.all([
      p.db.createStringAttribute(dbId, col, 'title', 16, true),
      p.db.createStringAttribute(dbId, col, 'tags', 8, false, undefined, true),
      p.db.createStringAttribute(dbId, col, 'body', 20000, false, 'empty'),
      p.db.createEmailAttribute(dbId, col, 'email', false, 'a@example.test'),
      p.db.createEnumAttribute(dbId, col, 'status', ['draft', 'published'], false, 'draft'),
      p.db.createIpAttribute(dbId, col, 'ip', false),
      p.db.createUrlAttribute(dbId, col, 'site', false),
      p.db.createIntegerAttribute(dbId, col, 'count', false, 0, 10, 5),
      p.db.createIntegerAttribute(dbId, col, 'big', false, -5000000000, 5000000000),
      p.db.createFloatAttribute(dbId, col, 'ratio', false, 0, 1, 0.5),
      p.db.createBooleanAttribute(dbId, col, 'flag', false, true),
      p.db.createDatetimeAttribute(dbId, col, 'when', false),
      p.db.createIntegerAttribute(dbId, col, 'scores', false, 0, 100, undefined, true),
    ]);
    await allAvailable(p.db, dbId, col);
  });

  it('creates with defaults for missing values, [] for missing arrays, null otherwise', async () => {
    const doc = await alice.databases.createDocument(dbId, col, 'minimal', { title: 'Hello' });
    expect(doc).toMatchObject({
      $id: 'minimal',
      $collectionId: col,
      $databaseId: dbId,
      title: 'Hello',
      tags: [],
      body: 'empty',
      email: 'a@example.test',
      status: 'draft',
      ip: null,
      site: null,
      count: 5,
      big: null,
      ratio: 0.5,
      flag: true,
      when: null,
      scores: [],
    });
    expect(doc.$permissions.sort()).toEqual([`delete("user:${alice.userId}")`, `read("user:${alice.userId}")`, `update("user:${alice.userId}")`]);
    expect(await alice.databases.getDocument(dbId, col, 'minimal')).toMatchObject({ title: 'Hello', count: 5, tags: [] });
  });

  it('stores and returns every type exactly', async () => {
    const data = {
      title: 'Full',
      tags: ['a', 'b'],
      body: 'x'.repeat(20000),
      email: 'someone@example.test',
      status: 'published',
      ip: '192.168.1.20',
      site: 'https://example.test/path?q=1',
      count: 10,
      big: 4999999999,
      ratio: 0.125,
      flag: false,
      when: '2023-07-18T22:21:58.123+00:00',
      scores: [0, 50, 100],
    };
    const doc = await alice.databases.createDocument(dbId, col, web.ID.unique(), data);
    expect(doc).toMatchObject(data);
    const read = await alice.databases.getDocument(dbId, col, doc.$id);
    expect(read).toMatchObject(data);
    expect(read.$createdAt).toMatch(/\.\d{3}\+00:00$/);

    const updated = await alice.databases.updateDocument(dbId, col, doc.$id, { count: 0, tags: [], when: '2020-01-01T00:00:00.000+00:00' });
    expect(updated).toMatchObject({ count: 0, tags: [], when: '2020-01-01T00:00:00.000+00:00', title: 'Full', big: 4999999999 });
    expect(Date.parse(updated.$updatedAt)).toBeGreaterThanOrEqual(Date.parse(doc.$updatedAt));

    await alice.databases.deleteDocument(dbId, col, doc.$id);
    expect(await failure(alice.databases.getDocument(dbId, col, doc.$id))).toEqual({ code: 404, type: 'document_not_found' });
  });

  it.each([
    ['a missing required attribute', { body: 'no title' }],
    ['an unknown attribute', { title: 'x', nope: 1 }],
    ['a string over its size', { title: 'x'.repeat(17) }],
    ['an integer above max', { title: 'x', count: 11 }],
    ['an integer below min', { title: 'x', count: -1 }],
    ['a 64-bit integer out of range', { title: 'x', big: 6000000000 }],
    ['a float above max', { title: 'x', ratio: 1.5 }],
    ['a bad email', { title: 'x', email: 'nope' }],
    ['an enum value outside its elements', { title: 'x', status: 'archived' }],
    ['a bad ip', { title: 'x', ip: '999.1.1.1' }],
    ['a bad url', { title: 'x', site: 'not a url' }],
    ['a bad datetime', { title: 'x', when: 'yesterday' }],
    ['a string for an integer', { title: 'x', count: 'five' }],
    ['a string for a boolean', { title: 'x', flag: 'yes' }],
    ['an array for a scalar', { title: ['x'] }],
    ['a scalar for an array', { title: 'x', tags: 'a' }],
    ['an array element out of bounds', { title: 'x', scores: [1, 101] }],
    ['an array element over its size', { title: 'x', tags: ['123456789'] }],
  ])('refuses %s with 400 document_invalid_structure', async (_what, data) => {
    expect(await failure(alice.databases.createDocument(dbId, col, web.ID.unique(), data as never))).toEqual({ code: 400, type: 'document_invalid_structure' });
  });

  it('refuses invalid writes on update too, and duplicate ids', async () => {
    expect(await failure(alice.databases.updateDocument(dbId, col, 'minimal', { count: 99 }))).toEqual({ code: 400, type: 'document_invalid_structure' });
    expect(await failure(alice.databases.updateDocument(dbId, col, 'minimal', { title: null }))).toEqual({ code: 400, type: 'document_invalid_structure' });
    expect(await failure(alice.databases.createDocument(dbId, col, 'minimal', { title: 'again' }))).toEqual({ code: 409, type: 'document_already_exists' });
    expect(await failure(alice.databases.updateDocument(dbId, col, 'ghost', { title: 'x' }))).toEqual({ code: 404, type: 'document_not_found' });
    expect(await failure(alice.databases.getDocument(dbId, 'nocol', 'minimal'))).toEqual({ code: 404, type: 'collection_not_found' });
  });
});

describe('queries', () => {
  const col = 'fruit';
  const rows = [
    { id: 'd1', name: 'apple', score: 10, price: 1.5, active: true, born: '2020-01-01T00:00:00.000+00:00', note: 'x', title: 'red fruit sweet', plain: 'red' },
    { id: 'd2', name: 'banana', score: 20, price: 0.5, active: false, born: '2021-06-01T00:00:00.000+00:00', note: null, title: 'yellow fruit long', plain: 'yellow' },
    { id: 'd3', name: 'cherry', score: 30, price: 3, active: true, born: '2022-01-01T00:00:00.000+00:00', note: 'y', title: 'small red stone', plain: 'red' },
    { id: 'd4', name: 'date', score: 40, price: 5, active: false, born: '2019-01-01T00:00:00.000+00:00', note: null, title: 'brown sweet', plain: 'brown' },
    { id: 'd5', name: 'elderberry', score: 50, price: 2.25, active: true, born: '2023-03-03T00:00:00.000+00:00', note: 'z', title: 'dark purple', plain: 'dark' },
  ];

  beforeAll(async () => {
    await p.db.createCollection(dbId, col, 'Fruit', [Permission.read(Role.users())], false);
    await Promise.all([
      p.db.createStringAttribute(dbId, col, 'name', 64, true),
      p.db.createIntegerAttribute(dbId, col, 'score', true),
      p.db.createFloatAttribute(dbId, col, 'price', true),
      p.db.createBooleanAttribute(dbId, col, 'active', true),
      p.db.createDatetimeAttribute(dbId, col, 'born', true),
      p.db.createStringAttribute(dbId, col, 'note', 16, false),
      p.db.createStringAttribute(dbId, col, 'title', 256, true),
      p.db.createStringAttribute(dbId, col, 'plain', 64, true),
      p.db.createStringAttribute(dbId, col, 'list', 16, false, undefined, true),
    ]);
    await allAvailable(p.db, dbId, col);
    await p.db.createIndex(dbId, col, 'ft_title', 'fulltext', ['title']);
    await indexStatus(p.db, dbId, col, 'ft_title');
    for (const { id, ...data } of rows) await p.db.createDocument(dbId, col, id, data);
  });

  const ids = async (queries: string[]) => (await alice.databases.listDocuments(dbId, col, queries)).documents.map((d) => d.$id);

  it.each<[string, string[], string[]]>([
    ['no query', [], ['d1', 'd2', 'd3', 'd4', 'd5']],
    ['equal', [Q.equal('name', 'apple')], ['d1']],
    ['equal with several values', [Q.equal('name', ['apple', 'cherry'])], ['d1', 'd3']],
    ['equal on a boolean', [Q.equal('active', true)], ['d1', 'd3', 'd5']],
    ['notEqual', [Q.notEqual('name', 'apple')], ['d2', 'd3', 'd4', 'd5']],
    ['lessThan', [Q.lessThan('score', 30)], ['d1', 'd2']],
    ['lessThanEqual', [Q.lessThanEqual('score', 30)], ['d1', 'd2', 'd3']],
    ['greaterThan on a float', [Q.greaterThan('price', 2.25)], ['d3', 'd4']],
    ['greaterThanEqual on a float', [Q.greaterThanEqual('price', 2.25)], ['d3', 'd4', 'd5']],
    ['greaterThan on a datetime', [Q.greaterThan('born', '2021-01-01T00:00:00.000+00:00')], ['d2', 'd3', 'd5']],
    ['between', [Q.between('score', 20, 40)], ['d2', 'd3', 'd4']],
    ['startsWith', [Q.startsWith('name', 'b')], ['d2']],
    ['endsWith', [Q.endsWith('name', 'rry')], ['d3', 'd5']],
    ['isNull', [Q.isNull('note')], ['d2', 'd4']],
    ['isNotNull', [Q.isNotNull('note')], ['d1', 'd3', 'd5']],
    ['search with a fulltext index', [Q.search('title', 'sweet')], ['d1', 'd4']],
    ['two filters (AND)', [Q.greaterThan('score', 10), Q.equal('active', true)], ['d3', 'd5']],
    ['orderAsc', [Q.orderAsc('price')], ['d2', 'd1', 'd5', 'd3', 'd4']],
    ['orderDesc', [Q.orderDesc('score')], ['d5', 'd4', 'd3', 'd2', 'd1']],
    ['orderDesc on $id', [Q.orderDesc('$id')], ['d5', 'd4', 'd3', 'd2', 'd1']],
    ['limit + offset', [Q.orderAsc('score'), Q.limit(2), Q.offset(1)], ['d2', 'd3']],
    ['cursorAfter', [Q.orderAsc('score'), Q.cursorAfter('d2'), Q.limit(2)], ['d3', 'd4']],
    ['cursorBefore', [Q.orderAsc('score'), Q.cursorBefore('d4'), Q.limit(2)], ['d2', 'd3']],
    ['cursorAfter with orderDesc', [Q.orderDesc('price'), Q.cursorAfter('d3')], ['d5', 'd1', 'd2']],
    ['equal on $id', [Q.equal('$id', 'd4')], ['d4']],
    ['a limit above 100 (1.3.8 has no upper bound)', [Q.limit(500)], ['d1', 'd2', 'd3', 'd4', 'd5']],
  ])('%s', async (_what, queries, expected) => {
    expect(await ids(queries)).toEqual(expected);
  });

  it('counts the total over the filter, not the page', async () => {
    const res = await alice.databases.listDocuments(dbId, col, [Q.greaterThan('score', 10), Q.limit(1)]);
    expect(res.total).toBe(4);
    expect(res.documents).toHaveLength(1);
    // Neither offset nor a cursor changes the total (1.3 counts the filter queries only).
    expect((await alice.databases.listDocuments(dbId, col, [Q.greaterThan('score', 10), Q.offset(2)])).total).toBe(4);
    expect((await alice.databases.listDocuments(dbId, col, [Q.greaterThan('score', 10), Q.cursorAfter('d4')])).total).toBe(4);
    expect((await alice.databases.listDocuments(dbId, col, [Q.cursorBefore('d2')])).total).toBe(5);
  });

  it('select returns only the selected attributes (in list and get)', async () => {
    const res = await alice.databases.listDocuments(dbId, col, [Q.select(['name', 'score']), Q.equal('name', 'apple')]);
    expect(res.documents).toHaveLength(1);
    const doc = res.documents[0] as Record<string, unknown>;
    expect(doc).toMatchObject({ name: 'apple', score: 10 });
    expect(doc).not.toHaveProperty('price');
    expect(doc).not.toHaveProperty('title');
    const one = (await alice.databases.getDocument(dbId, col, 'd3', [Q.select(['title'])])) as Record<string, unknown>;
    expect(one).toMatchObject({ title: 'small red stone' });
    expect(one).not.toHaveProperty('name');
  });

  it.each<[string, string[]]>([
    ['search without a fulltext index', [Q.search('plain', 'red')]],
    ['an unknown attribute', [Q.equal('missing', 'x')]],
    ['a value of the wrong type', [Q.lessThan('score', 'abc')]],
    ['a malformed query string', ['equal("name", ']],
    ['an unknown method', ['like("name", ["a"])']],
    ['ordering by an unknown attribute', [Q.orderAsc('missing')]],
    ['selecting an unknown attribute', [Q.select(['missing'])]],
    ['a negative offset', [Q.offset(-1)]],
    ['a zero limit', [Q.limit(0)]],
    ['startsWith on an integer', [Q.startsWith('score', '1')]],
  ])('refuses %s with 400', async (_what, queries) => {
    const err = await failure(alice.databases.listDocuments(dbId, col, queries));
    expect(err.code).toBe(400);
    expect(err.type).toMatch(/^general_(query_invalid|argument_invalid)$/);
  });

  it('refuses a cursor on a missing document with 400 general_cursor_not_found', async () => {
    expect(await failure(alice.databases.listDocuments(dbId, col, [Q.cursorAfter('nope')]))).toEqual({ code: 400, type: 'general_cursor_not_found' });
  });

  it('an attribute added later reads as null on the existing documents and can be queried', async () => {
    await p.db.createStringAttribute(dbId, col, 'late', 16, false);
    await attributeStatus(p.db, dbId, col, 'late');
    expect(await ids([Q.isNull('late')])).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
    expect((await alice.databases.getDocument(dbId, col, 'd1')).late).toBeNull();
  });
});
