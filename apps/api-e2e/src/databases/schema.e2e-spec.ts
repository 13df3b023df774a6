import * as sdk from 'node-appwrite';

import { failure } from '../../support/identity-clients';
import { attributeStatus, collectionTable, connectDb, dbProject, DbProject, eventuallyGone, indexStatus, projectSeq, tablesLike } from './db-helpers';

// The schema side of the Databases capability through node-appwrite@9 with the project key, against
// `appconda all`: databases and collections CRUD with list queries, every attribute type through its
// asynchronous lifecycle (processing → available, or failed), indexes (including a unique index that
// fails on duplicates), and worker-deletes tearing the tables down.

const { Query, ID, Permission, Role } = sdk;

let p: DbProject;

beforeAll(async () => {
  p = await dbProject('db-schema');
});

describe('databases', () => {
  it('creates, reads, updates, lists with queries and search, and deletes', async () => {
    const a = await p.db.create('alpha', 'Alpha store');
    expect(a).toMatchObject({ $id: 'alpha', name: 'Alpha store' });
    expect(a.$createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    const b = await p.db.create(ID.unique(), 'Beta store');
    expect(b.$id).toMatch(/^[a-z0-9]{20}$/);
    await p.db.create('gamma', 'Gamma');

    expect(await p.db.get('alpha')).toMatchObject({ $id: 'alpha', name: 'Alpha store' });
    expect(await p.db.update('alpha', 'Alpha renamed')).toMatchObject({ name: 'Alpha renamed' });

    const all = await p.db.list();
    expect(all.total).toBe(3);
    expect(all.databases.map((d) => d.$id).sort()).toEqual(['alpha', 'gamma', b.$id].sort());
    expect((await p.db.list([Query.equal('name', 'Gamma')])).databases.map((d) => d.$id)).toEqual(['gamma']);
    const page = await p.db.list([Query.limit(1), Query.orderAsc('name')]);
    expect(page.databases.map((d) => d.name)).toEqual(['Alpha renamed']);
    expect(page.total).toBe(3);
    const after = await p.db.list([Query.cursorAfter('alpha'), Query.limit(10)]);
    expect(after.databases.map((d) => d.$id)).not.toContain('alpha');
    expect((await p.db.list([Query.offset(2)])).databases).toHaveLength(1);
    expect((await p.db.list(undefined, 'Beta')).databases.map((d) => d.$id)).toEqual([b.$id]);

    expect(await failure(p.db.create('alpha', 'again'))).toEqual({ code: 409, type: 'database_already_exists' });
    expect(await failure(p.db.get('nope'))).toEqual({ code: 404, type: 'database_not_found' });
    expect((await failure(p.db.list(['equal("bogus", ["x"])']))).code).toBe(400);
    expect(await failure(p.db.list([Query.cursorAfter('missing')]))).toMatchObject({ code: 400, type: 'general_cursor_not_found' });

    await p.db.delete('gamma');
    expect(await failure(p.db.get('gamma'))).toEqual({ code: 404, type: 'database_not_found' });
    expect((await p.db.list()).total).toBe(2);
  });
});

describe('list totals with a cursor', () => {
  // 1.3 counts the filter queries only, whatever page a cursor points at.
  it('databases and collections lists keep their total under a cursor', async () => {
    await p.db.create('tot', 'Totals');
    for (const id of ['c1', 'c2', 'c3']) await p.db.createCollection('tot', id, id);
    expect((await p.db.listCollections('tot', [Query.cursorAfter('c1')])).total).toBe(3);
  });
});

describe('collections', () => {
  const dbId = 'cols';

  beforeAll(async () => {
    await p.db.create(dbId, 'Collections');
  });

  it('creates with permissions and document security, updates, lists, deletes', async () => {
    const perms = [Permission.read(Role.any()), Permission.create(Role.users())];
    const c = await p.db.createCollection(dbId, 'books', 'Books', perms, true);
    expect(c).toMatchObject({ $id: 'books', databaseId: dbId, name: 'Books', enabled: true, documentSecurity: true, attributes: [], indexes: [] });
    expect(c.$permissions.sort()).toEqual(['create("users")', 'read("any")']);
    await p.db.createCollection(dbId, 'authors', 'Authors');
    await p.db.createCollection(dbId, ID.unique(), 'Zebras');

    const updated = await p.db.updateCollection(dbId, 'books', 'Books v2', [Permission.read(Role.users())], false, false);
    expect(updated).toMatchObject({ name: 'Books v2', documentSecurity: false, enabled: false, $permissions: ['read("users")'] });
    expect(await p.db.getCollection(dbId, 'books')).toMatchObject({ name: 'Books v2', enabled: false });

    const list = await p.db.listCollections(dbId);
    expect(list.total).toBe(3);
    expect((await p.db.listCollections(dbId, [Query.equal('name', 'Authors')])).collections.map((x) => x.$id)).toEqual(['authors']);
    expect((await p.db.listCollections(dbId, [Query.orderDesc('name'), Query.limit(1)])).collections[0].name).toBe('Zebras');
    expect((await p.db.listCollections(dbId, undefined, 'Zebras')).total).toBe(1);

    expect(await failure(p.db.createCollection(dbId, 'books', 'dup'))).toEqual({ code: 409, type: 'collection_already_exists' });
    expect(await failure(p.db.getCollection(dbId, 'nope'))).toEqual({ code: 404, type: 'collection_not_found' });
    expect(await failure(p.db.getCollection('nodb', 'books'))).toEqual({ code: 404, type: 'database_not_found' });
    expect((await failure(p.db.createCollection(dbId, 'bad-perm', 'x', ['read("nobody:at-all")']))).code).toBe(400);

    await p.db.deleteCollection(dbId, 'authors');
    expect(await failure(p.db.getCollection(dbId, 'authors'))).toEqual({ code: 404, type: 'collection_not_found' });
  });

  it('filters collections by enabled and documentSecurity; refuses other attributes', async () => {
    expect((await p.db.listCollections(dbId, [Query.equal('enabled', false)])).collections.map((c) => c.$id)).toEqual(['books']);
    expect((await p.db.listCollections(dbId, [Query.equal('documentSecurity', false), Query.equal('enabled', true)])).collections.map((c) => c.name)).toEqual(['Zebras']);
    expect((await failure(p.db.listCollections(dbId, [Query.equal('search', 'x')]))).code).toBe(400);
    expect((await failure(p.db.listCollections(dbId, [Query.cursorAfter('nope')])))).toMatchObject({ code: 400, type: 'general_cursor_not_found' });
  });
});

describe('search after a rename', () => {
  it('finds databases and collections by their new name only', async () => {
    await p.db.create('srch', 'Walrus');
    await p.db.createCollection('srch', 'animal', 'Penguin');
    await p.db.update('srch', 'Narwhal');
    await p.db.updateCollection('srch', 'animal', 'Albatross');
    expect((await p.db.list(undefined, 'Narwhal')).databases.map((d) => d.$id)).toEqual(['srch']);
    expect((await p.db.list(undefined, 'Walrus')).total).toBe(0);
    expect((await p.db.listCollections('srch', undefined, 'Albatross')).collections.map((c) => c.$id)).toEqual(['animal']);
    expect((await p.db.listCollections('srch', undefined, 'Penguin')).total).toBe(0);
    expect((await p.db.listCollections('srch', undefined, 'animal')).total).toBe(1);
  });
});

describe('attributes', () => {
  const dbId = 'attrs';
  const col = 'all_types';

  beforeAll(async () => {
    await p.db.create(dbId, 'Attributes');
    await p.db.createCollection(dbId, col, 'All types');
  });

  it('takes every attribute type from processing to available, with its model', async () => {
    const created = await Promise.all([
      p.db.createStringAttribute(dbId, col, 'title', 128, true),
      p.db.createStringAttribute(dbId, col, 'tags', 32, false, undefined, true),
      p.db.createStringAttribute(dbId, col, 'body', 100000, false, 'empty'),
      p.db.createEmailAttribute(dbId, col, 'email', false, 'a@example.test'),
      p.db.createEnumAttribute(dbId, col, 'status', ['draft', 'published'], false, 'draft'),
      p.db.createIpAttribute(dbId, col, 'ip', false),
      p.db.createUrlAttribute(dbId, col, 'site', false),
      p.db.createIntegerAttribute(dbId, col, 'count', false, 0, 10, 5),
      p.db.createIntegerAttribute(dbId, col, 'big', false, -5000000000, 5000000000),
      p.db.createFloatAttribute(dbId, col, 'ratio', false, 0, 1, 0.5),
      p.db.createBooleanAttribute(dbId, col, 'flag', false, true),
      p.db.createDatetimeAttribute(dbId, col, 'when', false),
      p.db.createIntegerAttribute(dbId, col, 'scores', false, undefined, undefined, undefined, true),
    ]);
    for (const attr of created) expect((attr as { status: string }).status).toBe('processing');

    const title = await attributeStatus(p.db, dbId, col, 'title');
    expect(title).toMatchObject({ key: 'title', type: 'string', status: 'available', required: true, array: false, size: 128 });
    for (const a of created) await attributeStatus(p.db, dbId, col, (a as { key: string }).key);

    expect(await p.db.getAttribute(dbId, col, 'tags')).toMatchObject({ type: 'string', array: true, size: 32 });
    expect(await p.db.getAttribute(dbId, col, 'body')).toMatchObject({ type: 'string', size: 100000, default: 'empty' });
    expect(await p.db.getAttribute(dbId, col, 'email')).toMatchObject({ type: 'string', format: 'email', default: 'a@example.test' });
    expect(await p.db.getAttribute(dbId, col, 'status')).toMatchObject({ type: 'string', format: 'enum', elements: ['draft', 'published'], default: 'draft' });
    expect(await p.db.getAttribute(dbId, col, 'ip')).toMatchObject({ type: 'string', format: 'ip' });
    expect(await p.db.getAttribute(dbId, col, 'site')).toMatchObject({ type: 'string', format: 'url' });
    expect(await p.db.getAttribute(dbId, col, 'count')).toMatchObject({ type: 'integer', min: 0, max: 10, default: 5 });
    expect(await p.db.getAttribute(dbId, col, 'big')).toMatchObject({ type: 'integer', min: -5000000000, max: 5000000000 });
    expect(await p.db.getAttribute(dbId, col, 'ratio')).toMatchObject({ type: 'double', min: 0, max: 1, default: 0.5 });
    expect(await p.db.getAttribute(dbId, col, 'flag')).toMatchObject({ type: 'boolean', default: true });
    expect(await p.db.getAttribute(dbId, col, 'when')).toMatchObject({ type: 'datetime', format: 'datetime' });
    expect(await p.db.getAttribute(dbId, col, 'scores')).toMatchObject({ type: 'integer', array: true });

    const list = await p.db.listAttributes(dbId, col);
    expect(list.total).toBe(created.length);
    const collection = await p.db.getCollection(dbId, col);
    expect(collection.attributes).toHaveLength(created.length);

    // Update changes required/default (1.3 PATCH).
    const upd = await p.db.updateIntegerAttribute(dbId, col, 'count', false, 0, 20, 7);
    expect(upd).toMatchObject({ min: 0, max: 20, default: 7 });
  });

  it('refuses invalid attribute definitions at the API', async () => {
    // Keys differing only by case are the same column: refused even while the first is processing.
    await p.db.createStringAttribute(dbId, col, 'caseKey', 8, false);
    expect(await failure(p.db.createStringAttribute(dbId, col, 'CASEKEY', 8, false))).toEqual({ code: 409, type: 'attribute_already_exists' });
    await attributeStatus(p.db, dbId, col, 'caseKey');
    expect(await failure(p.db.createStringAttribute(dbId, col, 'title', 10, false))).toEqual({ code: 409, type: 'attribute_already_exists' });
    expect(await failure(p.db.createStringAttribute(dbId, col, 'req_def', 10, true, 'x'))).toEqual({ code: 400, type: 'attribute_default_unsupported' });
    expect((await failure(p.db.createIntegerAttribute(dbId, col, 'inverted', false, 10, 1))).code).toBe(400);
    expect((await failure(p.db.createIntegerAttribute(dbId, col, 'out', false, 0, 10, 11))).code).toBe(400);
    expect((await failure(p.db.createEnumAttribute(dbId, col, 'bad_enum', ['a', 'b'], false, 'c'))).code).toBe(400);
    expect((await failure(p.db.createEmailAttribute(dbId, col, 'bad_mail', false, 'not-an-email'))).code).toBe(400);
    expect(await failure(p.db.getAttribute(dbId, col, 'nope'))).toEqual({ code: 404, type: 'attribute_not_found' });
    expect(await failure(p.db.createStringAttribute(dbId, 'nocol', 'x', 10, false))).toEqual({ code: 404, type: 'collection_not_found' });
  });

  it('does not let a row outgrow the MariaDB row size: 400 attribute_limit_exceeded or failed', async () => {
    const wide = 'wide';
    await p.db.createCollection(dbId, wide, 'Wide');
    await p.db.createStringAttribute(dbId, wide, 'w1', 16000, false);
    await attributeStatus(p.db, dbId, wide, 'w1');
    let outcome: string;
    try {
      await p.db.createStringAttribute(dbId, wide, 'w2', 16000, false);
      const attr = await attributeStatus(p.db, dbId, wide, 'w2', 'failed');
      expect(String(attr.error ?? '')).not.toBe('');
      outcome = 'failed';
    } catch (e) {
      const err = e as { code?: number; type?: string; message?: string };
      if (!err.code) throw e;
      expect(err).toMatchObject({ code: 400, type: 'attribute_limit_exceeded' });
      outcome = 'refused';
    }
    expect(['failed', 'refused']).toContain(outcome);
    // The collection still works and w1 is still there.
    expect(await p.db.getAttribute(dbId, wide, 'w1')).toMatchObject({ status: 'available' });
  });

  it('marks an attribute failed when MariaDB refuses its column; the collection keeps working', async () => {
    // Drift between the metadata and the table (a wide column the metadata does not know) makes the
    // worker's ALTER fail: the attribute must end `failed` with MariaDB's text, never `available`.
    const conn = await connectDb();
    try {
      await p.db.createCollection(dbId, 'drift', 'Drift', [], false);
      await p.db.createStringAttribute(dbId, 'drift', 'ok', 16, false);
      await attributeStatus(p.db, dbId, 'drift', 'ok');
      const table = await collectionTable(conn, p.projectId, dbId, 'drift');
      await conn.query(`ALTER TABLE \`${table}\` ADD COLUMN \`zz_pad\` VARCHAR(16000) NULL`);
      expect(await p.db.createStringAttribute(dbId, 'drift', 'clash', 16000, false)).toMatchObject({ status: 'processing' });
      const failed = await attributeStatus(p.db, dbId, 'drift', 'clash', 'failed');
      expect(String(failed.error)).toMatch(/row size/i);
      expect((await p.db.getCollection(dbId, 'drift')).attributes).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: 'clash', status: 'failed' })]),
      );
      // A failed attribute still reserves its key (case-insensitively, as MariaDB names do).
      expect(await failure(p.db.createStringAttribute(dbId, 'drift', 'CLASH', 16, false))).toEqual({ code: 409, type: 'attribute_already_exists' });
      // Document writes ignore a failed attribute: it has no column, nothing is stored or returned for it.
      expect((await p.db.createDocument(dbId, 'drift', 'd1', { ok: 'fine' })) as unknown as Record<string, unknown>).not.toHaveProperty('clash');
      // 1.3 answers 400 "Unknown attribute" here; Appconda drops the value quietly (documents README).
      const withFailed = await p.db.createDocument(dbId, 'drift', 'd2', { ok: 'x', clash: 'y' }).catch((e: { code: number; type: string }) => e);
      if ('code' in withFailed) expect(withFailed).toMatchObject({ code: 400, type: 'document_invalid_structure' });
      else expect(await p.db.getDocument(dbId, 'drift', 'd2')).not.toHaveProperty('clash');
      expect(await failure(p.db.createIndex(dbId, 'drift', 'on_failed', 'key', ['clash']))).toMatchObject({ code: 400 });
      // And it can be deleted.
      await p.db.deleteAttribute(dbId, 'drift', 'clash');
      await eventuallyGone(() => p.db.getAttribute(dbId, 'drift', 'clash'), 'failed attribute deleted');
      expect(((await p.db.getDocument(dbId, 'drift', 'd1')) as unknown as Record<string, unknown>).ok).toBe('fine');
    } finally {
      await conn.end();
    }
  });

  it('deletes an attribute through the worker', async () => {
    await p.db.createBooleanAttribute(dbId, col, 'temp', false);
    await attributeStatus(p.db, dbId, col, 'temp');
    await p.db.deleteAttribute(dbId, col, 'temp');
    expect(await eventuallyGone(() => p.db.getAttribute(dbId, col, 'temp'), 'attribute temp deleted')).toBe('attribute_not_found');
    expect((await p.db.listAttributes(dbId, col)).attributes.map((a) => (a as unknown as { key: string }).key)).not.toContain('temp');
  });
});

describe('indexes', () => {
  const dbId = 'idx';
  const col = 'people';

  beforeAll(async () => {
    await p.db.create(dbId, 'Indexes');
    await p.db.createCollection(dbId, col, 'People');
    await Promise.all([
      p.db.createStringAttribute(dbId, col, 'name', 64, false),
      p.db.createStringAttribute(dbId, col, 'bio', 1024, false),
      p.db.createIntegerAttribute(dbId, col, 'age', false),
    ]);
    for (const k of ['name', 'bio', 'age']) await attributeStatus(p.db, dbId, col, k);
  });

  it('creates key, unique and fulltext indexes through processing → available, lists and deletes them', async () => {
    const key = await p.db.createIndex(dbId, col, 'by_age', 'key', ['age'], ['DESC']);
    expect(key).toMatchObject({ key: 'by_age', type: 'key', status: 'processing', attributes: ['age'], orders: ['DESC'] });
    await p.db.createIndex(dbId, col, 'uniq_name', 'unique', ['name']);
    await p.db.createIndex(dbId, col, 'ft_bio', 'fulltext', ['bio']);
    for (const k of ['by_age', 'uniq_name', 'ft_bio']) await indexStatus(p.db, dbId, col, k);
    expect((await p.db.listIndexes(dbId, col)).total).toBe(3);
    expect((await p.db.getCollection(dbId, col)).indexes).toHaveLength(3);

    expect(await failure(p.db.createIndex(dbId, col, 'by_age', 'key', ['name']))).toEqual({ code: 409, type: 'index_already_exists' });
    expect(await failure(p.db.createIndex(dbId, col, 'ghost', 'key', ['missing']))).toEqual({ code: 400, type: 'attribute_unknown' });
    expect((await failure(p.db.createIndex(dbId, col, 'weird', 'spatial', ['name']))).code).toBe(400);
    expect(await failure(p.db.getIndex(dbId, col, 'nope'))).toEqual({ code: 404, type: 'index_not_found' });

    await p.db.deleteIndex(dbId, col, 'by_age');
    expect(await eventuallyGone(() => p.db.getIndex(dbId, col, 'by_age'), 'index by_age deleted')).toBe('index_not_found');
  });

  it('indexes long strings (prefix) and text columns as 1.3 allows', async () => {
    await p.db.createCollection(dbId, 'longs', 'Longs', [], false);
    await p.db.createStringAttribute(dbId, 'longs', 'url', 2000, false);
    await p.db.createStringAttribute(dbId, 'longs', 'text', 70000, false);
    await attributeStatus(p.db, dbId, 'longs', 'url');
    await attributeStatus(p.db, dbId, 'longs', 'text');
    await p.db.createIndex(dbId, 'longs', 'by_url', 'key', ['url']);
    expect(await indexStatus(p.db, dbId, 'longs', 'by_url')).toMatchObject({ status: 'available' });
    await p.db.createIndex(dbId, 'longs', 'ft_text', 'fulltext', ['text']);
    expect(await indexStatus(p.db, dbId, 'longs', 'ft_text')).toMatchObject({ status: 'available' });
    await p.db.createDocument(dbId, 'longs', 'l1', { url: `https://example.test/${'a'.repeat(1500)}`, text: `needle ${'hay '.repeat(5000)}` });
    expect((await p.db.listDocuments(dbId, 'longs', [Query.startsWith('url', 'https://example.test/aaa')])).total).toBe(1);
    expect((await p.db.listDocuments(dbId, 'longs', [Query.search('text', 'needle')])).total).toBe(1);
  });

  it('marks a unique index failed when the collection already holds duplicates', async () => {
    await p.db.createCollection(dbId, 'dups', 'Dups', [], false);
    await p.db.createStringAttribute(dbId, 'dups', 'code', 16, false);
    await attributeStatus(p.db, dbId, 'dups', 'code');
    await p.db.createDocument(dbId, 'dups', ID.unique(), { code: 'same' });
    await p.db.createDocument(dbId, 'dups', ID.unique(), { code: 'same' });
    await p.db.createIndex(dbId, 'dups', 'uniq_code', 'unique', ['code']);
    const failed = await indexStatus(p.db, dbId, 'dups', 'uniq_code', 'failed');
    expect(String(failed.error ?? '')).not.toBe('');
    // A failed index can be deleted.
    await p.db.deleteIndex(dbId, 'dups', 'uniq_code');
    await eventuallyGone(() => p.db.getIndex(dbId, 'dups', 'uniq_code'), 'failed index deleted');
  });

  it('enforces an available unique index on writes (409 document_already_exists)', async () => {
    await p.db.createDocument(dbId, col, ID.unique(), { name: 'Ada' });
    expect(await failure(p.db.createDocument(dbId, col, ID.unique(), { name: 'Ada' }))).toMatchObject({ code: 409, type: 'document_already_exists' });
  });
});

describe('deletes (worker-deletes)', () => {
  it('deleting a collection drops its documents and tables; deleting a database drops all of them', async () => {
    const conn = await connectDb();
    try {
      const seq = await projectSeq(conn, p.projectId);
      const before = await tablesLike(conn, `_${seq}_`);
      await p.db.create('gone', 'Gone');
      await p.db.createCollection('gone', 'one', 'One', [], false);
      await p.db.createCollection('gone', 'two', 'Two', [], false);
      await p.db.createStringAttribute('gone', 'one', 'v', 10, false);
      await attributeStatus(p.db, 'gone', 'one', 'v');
      await p.db.createDocument('gone', 'one', 'doc1', { v: 'x' });
      const withBoth = await tablesLike(conn, `_${seq}_`);
      expect(withBoth.length).toBeGreaterThanOrEqual(before.length + 4); // two tables + two _perms

      await p.db.deleteCollection('gone', 'one');
      await eventuallyGone(() => p.db.getCollection('gone', 'one'), 'collection one gone');
      const afterOne = await (async () => {
        const deadline = Date.now() + 15000;
        for (;;) {
          const t = await tablesLike(conn, `_${seq}_`);
          if (t.length <= withBoth.length - 2 || Date.now() > deadline) return t;
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      expect(afterOne.length).toBe(withBoth.length - 2);

      // Re-creating the same collection id starts empty.
      await p.db.createCollection('gone', 'one', 'One again', [], false);
      expect((await p.db.listDocuments('gone', 'one')).total).toBe(0);

      await p.db.delete('gone');
      expect(await failure(p.db.get('gone'))).toEqual({ code: 404, type: 'database_not_found' });
      const deadline = Date.now() + 15000;
      let left = await tablesLike(conn, `_${seq}_`);
      while (left.length > before.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        left = await tablesLike(conn, `_${seq}_`);
      }
      expect(left).toEqual(before);
    } finally {
      await conn.end();
    }
  });
});
