import * as sdk from 'node-appwrite';

import { eventually, failure, raw } from '../../support/identity-clients';
import { allAvailable, attributeStatus, connectDb, dbProject, DbProject, dbUser, DbUser, eventuallyGone, projectSeq, tablesLike } from './db-helpers';

// Relationships against `appconda all`: the four types (twoWay), nested creates and updates, the
// back-references, each onDelete mode (restrict → 403 document_delete_restricted, cascade, setNull),
// changing and deleting a relationship attribute; then X-Appwrite-Timestamp conflicts and the legacy
// `/v1/database/...` routes.

const { Permission, Role, ID } = sdk;
const dbId = 'rel';

let p: DbProject;
let alice: DbUser;

type Doc = Record<string, unknown> & { $id: string };
const get = (col: string, id: string) => p.db.getDocument(dbId, col, id) as Promise<Doc>;

async function collection(id: string, attrs: string[] = ['name']): Promise<void> {
  await p.db.createCollection(dbId, id, id, [Permission.read(Role.users()), Permission.create(Role.users()), Permission.update(Role.users()), Permission.delete(Role.users())], false);
  for (const a of attrs) await p.db.createStringAttribute(dbId, id, a, 64, false);
  await allAvailable(p.db, dbId, id);
}

async function relate(parent: string, child: string, type: string, key: string, twoWayKey: string, onDelete: string): Promise<Record<string, unknown>> {
  const attr = (await p.db.createRelationshipAttribute(dbId, parent, child, type, true, key, twoWayKey, onDelete)) as unknown as Record<string, unknown>;
  expect(attr).toMatchObject({ key, type: 'relationship', status: 'processing', relatedCollection: child, relationType: type, twoWay: true, twoWayKey, onDelete, side: 'parent' });
  await attributeStatus(p.db, dbId, parent, key);
  const back = await attributeStatus(p.db, dbId, child, twoWayKey);
  expect(back).toMatchObject({ type: 'relationship', relatedCollection: parent, relationType: type, twoWay: true, twoWayKey: key, side: 'child' });
  return attr;
}

const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as Doc).$id ?? null) : (v as string | null));
const idsOf = (v: unknown): string[] => ((v as unknown[]) ?? []).map((x) => idOf(x) as string).sort();

beforeAll(async () => {
  p = await dbProject('db-rel');
  alice = await dbUser(p.projectId, 'alice');
  await p.db.create(dbId, 'Relationships');
});

describe('oneToOne (twoWay, cascade)', () => {
  beforeAll(async () => {
    await collection('people');
    await collection('passports', ['number']);
    await relate('people', 'passports', 'oneToOne', 'passport', 'owner', 'cascade');
  });

  it('creates the related document nested, loads both directions, cascades the delete', async () => {
    // A web SDK user creates both documents in one call.
    const person = (await alice.databases.createDocument(dbId, 'people', 'ada', { name: 'Ada', passport: { $id: 'pp1', number: 'X-1' } })) as unknown as Doc;
    expect(person.passport).toMatchObject({ $id: 'pp1', number: 'X-1', $collectionId: 'passports', $databaseId: dbId });
    const passport = await get('passports', 'pp1');
    expect(idOf(passport.owner)).toBe('ada');
    expect((passport.owner as Doc).name).toBe('Ada');

    // oneToOne: a second person cannot take the same passport (1.3: unique index → 409), from either side.
    await p.db.createDocument(dbId, 'people', 'bo', { name: 'Bo' });
    expect(await failure(p.db.updateDocument(dbId, 'people', 'bo', { passport: 'pp1' }))).toEqual({ code: 409, type: 'document_already_exists' });
    expect(await failure(p.db.createDocument(dbId, 'people', 'cy', { name: 'Cy', passport: 'pp1' }))).toEqual({ code: 409, type: 'document_already_exists' });
    await p.db.createDocument(dbId, 'passports', 'pp2', { number: 'X-2' });
    expect(await failure(p.db.updateDocument(dbId, 'passports', 'pp2', { owner: 'ada' }))).toEqual({ code: 409, type: 'document_already_exists' });
    expect(idOf((await get('passports', 'pp1')).owner)).toBe('ada');
    expect((await get('people', 'bo')).passport).toBeNull();
    expect(await failure(get('people', 'cy'))).toEqual({ code: 404, type: 'document_not_found' });

    // select with a dotted key.
    const selected = (await p.db.getDocument(dbId, 'people', 'ada', [sdk.Query.select(['name', 'passport.number'])])) as unknown as Doc;
    expect(selected.name).toBe('Ada');
    expect((selected.passport as Doc).number).toBe('X-1');

    await alice.databases.deleteDocument(dbId, 'people', 'ada');
    expect(await failure(get('passports', 'pp1'))).toEqual({ code: 404, type: 'document_not_found' });
  });
});

describe('oneToMany (twoWay, setNull)', () => {
  beforeAll(async () => {
    await collection('authors');
    await collection('books', ['title']);
    await relate('authors', 'books', 'oneToMany', 'books', 'author', 'setNull');
  });

  it('links nested new documents and existing ids, loads the back-reference, nulls it on delete', async () => {
    await p.db.createDocument(dbId, 'books', 'b3', { title: 'Existing' });
    const author = (await p.db.createDocument(dbId, 'authors', 'tolkien', {
      name: 'Tolkien',
      books: [{ $id: 'b1', title: 'The Hobbit' }, { $id: 'b2', title: 'LOTR' }, 'b3'],
    })) as unknown as Doc;
    expect(idsOf(author.books)).toEqual(['b1', 'b2', 'b3']);
    expect(idOf((await get('books', 'b1')).author)).toBe('tolkien');
    expect(idOf((await get('books', 'b3')).author)).toBe('tolkien');

    // Unlinking through an update of the parent.
    await p.db.updateDocument(dbId, 'authors', 'tolkien', { books: ['b1', 'b2'] });
    expect((await get('books', 'b3')).author).toBeNull();

    // Nested update of a related document.
    await p.db.updateDocument(dbId, 'authors', 'tolkien', { books: [{ $id: 'b1', title: 'The Hobbit (2nd)' }, 'b2'] });
    expect((await get('books', 'b1')).title).toBe('The Hobbit (2nd)');

    await p.db.deleteDocument(dbId, 'authors', 'tolkien');
    expect((await get('books', 'b1')).author).toBeNull();
    expect((await get('books', 'b2')).author).toBeNull();
  });
});

describe('tearing down a oneToMany', () => {
  it('deleting the child side attribute removes both sides and the column', async () => {
    await collection('teams2');
    await collection('players');
    await relate('teams2', 'players', 'oneToMany', 'players', 'team', 'setNull');
    await p.db.createDocument(dbId, 'teams2', 't1', { name: 'T', players: [{ $id: 'pl1', name: 'P' }] });
    await p.db.deleteAttribute(dbId, 'players', 'team');
    await eventuallyGone(() => p.db.getAttribute(dbId, 'players', 'team'), 'child side gone');
    await eventuallyGone(() => p.db.getAttribute(dbId, 'teams2', 'players'), 'parent side gone with it');
    expect(await get('teams2', 't1')).not.toHaveProperty('players');
    expect(await get('players', 'pl1')).not.toHaveProperty('team');
    // The column is really gone: the key can be used again.
    await p.db.createStringAttribute(dbId, 'players', 'team', 16, false);
    expect(await attributeStatus(p.db, dbId, 'players', 'team')).toMatchObject({ type: 'string' });
    expect((await get('players', 'pl1')).team).toBeNull();
  });

  it('deleting the parent collection drops the child side attribute and its column', async () => {
    await collection('clubs');
    await collection('members2');
    await relate('clubs', 'members2', 'oneToMany', 'members', 'club', 'cascade');
    await p.db.createDocument(dbId, 'clubs', 'c1', { name: 'C', members: [{ $id: 'mm1', name: 'M' }] });
    await p.db.deleteCollection(dbId, 'clubs');
    await eventuallyGone(() => p.db.getAttribute(dbId, 'members2', 'club'), 'child side attribute gone');
    expect(await get('members2', 'mm1')).toMatchObject({ name: 'M' });
    expect(await get('members2', 'mm1')).not.toHaveProperty('club');
    await p.db.createIntegerAttribute(dbId, 'members2', 'club', false);
    expect(await attributeStatus(p.db, dbId, 'members2', 'club')).toMatchObject({ type: 'integer' });
  });
});

describe('manyToOne (twoWay, restrict)', () => {
  beforeAll(async () => {
    await collection('novels', ['title']);
    await collection('publishers');
    await relate('novels', 'publishers', 'manyToOne', 'publisher', 'novels', 'restrict');
  });

  it('restricts deleting the one side while the many side links it; the many side may go', async () => {
    await p.db.createDocument(dbId, 'novels', 'n1', { title: 'One', publisher: { $id: 'pub1', name: 'Allen & Unwin' } });
    await p.db.createDocument(dbId, 'novels', 'n2', { title: 'Two', publisher: 'pub1' });
    expect(idsOf((await get('publishers', 'pub1')).novels)).toEqual(['n1', 'n2']);
    expect(idOf((await get('novels', 'n2')).publisher)).toBe('pub1');

    expect(await failure(p.db.deleteDocument(dbId, 'publishers', 'pub1'))).toEqual({ code: 403, type: 'document_delete_restricted' });
    expect((await get('publishers', 'pub1')).name).toBe('Allen & Unwin');

    await p.db.deleteDocument(dbId, 'novels', 'n1');
    await p.db.deleteDocument(dbId, 'novels', 'n2');
    await p.db.deleteDocument(dbId, 'publishers', 'pub1');
    expect(await failure(get('publishers', 'pub1'))).toEqual({ code: 404, type: 'document_not_found' });
  });
});

describe('manyToMany (twoWay, restrict → setNull → cascade)', () => {
  beforeAll(async () => {
    await collection('students');
    await collection('courses');
    await relate('students', 'courses', 'manyToMany', 'courses', 'students', 'restrict');
  });

  it('links both ways, restricts, then follows the updated onDelete', async () => {
    await p.db.createDocument(dbId, 'courses', 'c1', { name: 'Math' });
    await p.db.createDocument(dbId, 'students', 's1', { name: 'Sam', courses: ['c1', { $id: 'c2', name: 'Art' }] });
    await p.db.createDocument(dbId, 'students', 's2', { name: 'Sue', courses: ['c1'] });
    expect(idsOf((await get('students', 's1')).courses)).toEqual(['c1', 'c2']);
    expect(idsOf((await get('courses', 'c1')).students)).toEqual(['s1', 's2']);
    const list = await p.db.listDocuments(dbId, 'courses', [sdk.Query.equal('$id', 'c2')]);
    expect(idsOf((list.documents[0] as unknown as Doc).students)).toEqual(['s1']);

    expect(await failure(p.db.deleteDocument(dbId, 'students', 's1'))).toEqual({ code: 403, type: 'document_delete_restricted' });

    const changed = await p.db.updateRelationshipAttribute(dbId, 'students', 'courses', 'setNull');
    expect(changed).toMatchObject({ onDelete: 'setNull' });
    await attributeStatus(p.db, dbId, 'students', 'courses');
    await p.db.deleteDocument(dbId, 'students', 's1');
    expect(idsOf((await get('courses', 'c1')).students)).toEqual(['s2']);
    expect(idsOf((await get('courses', 'c2')).students)).toEqual([]);

    await p.db.updateRelationshipAttribute(dbId, 'students', 'courses', 'cascade');
    await p.db.deleteDocument(dbId, 'students', 's2');
    expect(await failure(get('courses', 'c1'))).toEqual({ code: 404, type: 'document_not_found' });
    expect((await get('courses', 'c2')).name).toBe('Art');
  });

  it('deleting the relationship attribute removes both sides', async () => {
    await p.db.deleteAttribute(dbId, 'students', 'courses');
    await eventuallyGone(() => p.db.getAttribute(dbId, 'students', 'courses'), 'parent side gone');
    await eventuallyGone(() => p.db.getAttribute(dbId, 'courses', 'students'), 'child side gone');
    expect(await get('courses', 'c2')).not.toHaveProperty('students');
  });

  it('refuses an unknown related collection and a bad type at the API', async () => {
    expect(await failure(p.db.createRelationshipAttribute(dbId, 'students', 'nowhere', 'oneToOne', false, 'x'))).toMatchObject({ code: 404, type: 'collection_not_found' });
    expect((await failure(p.db.createRelationshipAttribute(dbId, 'students', 'courses', 'sideways', false, 'y'))).code).toBe(400);
  });
});

describe('X-Appwrite-Timestamp', () => {
  const headers = () => ({ 'x-appwrite-project': p.projectId, 'x-appwrite-key': p.console.key });

  beforeAll(async () => {
    await collection('notes', ['body']);
    await p.db.createDocument(dbId, 'notes', 'n1', { body: 'v1' });
  });

  it('refuses an update or delete older than the last change with 409 document_update_conflict', async () => {
    const before = new Date(Date.now() - 60000).toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await p.db.updateDocument(dbId, 'notes', 'n1', { body: 'v2' });
    const stale = await raw('PATCH', `/databases/${dbId}/collections/notes/documents/n1`, { ...headers(), 'x-appwrite-timestamp': before }, { data: { body: 'stale' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ type: 'document_update_conflict', code: 409 });
    const staleDelete = await raw('DELETE', `/databases/${dbId}/collections/notes/documents/n1`, { ...headers(), 'x-appwrite-timestamp': before });
    expect(staleDelete.status).toBe(409);
    expect((await get('notes', 'n1')).body).toBe('v2');

    const fresh = await raw('PATCH', `/databases/${dbId}/collections/notes/documents/n1`, { ...headers(), 'x-appwrite-timestamp': new Date(Date.now() + 1000).toISOString() }, { data: { body: 'v3' } });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ body: 'v3' });

    const bad = await raw('PATCH', `/databases/${dbId}/collections/notes/documents/n1`, { ...headers(), 'x-appwrite-timestamp': 'not a date' }, { data: { body: 'v4' } });
    expect(bad.status).toBe(400);
  });

  it('a timestamp equal to $updatedAt is not a conflict; one millisecond earlier is', async () => {
    const doc = await p.db.updateDocument(dbId, 'notes', 'n1', { body: 'exact' });
    const earlier = new Date(Date.parse(doc.$updatedAt) - 1).toISOString();
    const early = await raw('PATCH', `/databases/${dbId}/collections/notes/documents/n1`, { ...headers(), 'x-appwrite-timestamp': earlier }, { data: { body: 'x' } });
    expect(early.status).toBe(409);
    const same = await raw('PATCH', `/databases/${dbId}/collections/notes/documents/n1`, { ...headers(), 'x-appwrite-timestamp': doc.$updatedAt }, { data: { body: 'same instant' } });
    expect(same.status).toBe(200);
  });

  it('works through the web SDK header too', async () => {
    const notes = 'notes';
    const doc = await alice.databases.createDocument(dbId, notes, ID.unique(), { body: 'mine' });
    await alice.databases.updateDocument(dbId, notes, doc.$id, { body: 'mine v2' });
    alice.client.headers['X-Appwrite-Timestamp'] = doc.$createdAt;
    try {
      expect(await failure(alice.databases.updateDocument(dbId, notes, doc.$id, { body: 'mine v3' }))).toEqual({ code: 409, type: 'document_update_conflict' });
    } finally {
      delete alice.client.headers['X-Appwrite-Timestamp'];
    }
  });
});

describe('legacy /v1/database routes (database "default")', () => {
  const headers = () => ({ 'x-appwrite-project': p.projectId, 'x-appwrite-key': p.console.key });

  it('serves the document routes of the default database', async () => {
    await p.db.create('default', 'Default');
    await p.db.createCollection('default', 'legacy', 'Legacy', [Permission.read(Role.any())], false);
    await p.db.createStringAttribute('default', 'legacy', 'v', 16, false);
    await attributeStatus(p.db, 'default', 'legacy', 'v');

    const created = await raw('POST', '/database/collections/legacy/documents', headers(), { documentId: 'old1', data: { v: 'hello' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ $id: 'old1', v: 'hello', $databaseId: 'default', $collectionId: 'legacy' });
    expect(((await p.db.getDocument('default', 'legacy', 'old1')) as unknown as Doc).v).toBe('hello');

    const list = await raw<{ total: number; documents: Doc[] }>('GET', '/database/collections/legacy/documents', { 'x-appwrite-project': p.projectId });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const one = await raw('GET', '/database/collections/legacy/documents/old1', { 'x-appwrite-project': p.projectId });
    expect(one.body).toMatchObject({ v: 'hello' });
    const patched = await raw('PATCH', '/database/collections/legacy/documents/old1', headers(), { data: { v: 'bye' } });
    expect(patched.body).toMatchObject({ v: 'bye' });
    expect((await raw('DELETE', '/database/collections/legacy/documents/old1', headers())).status).toBe(204);
    expect((await raw('GET', '/database/collections/legacy/documents/old1', headers())).status).toBe(404);
  });
});

describe('changing and deleting from the other side', () => {
  beforeAll(async () => {
    await collection('owners');
    await collection('pets');
    await relate('owners', 'pets', 'oneToMany', 'pets', 'owner', 'restrict');
    await collection('cars');
    await collection('plates', ['code']);
    await relate('cars', 'plates', 'oneToOne', 'plate', 'car', 'cascade');
    await collection('cities');
    await collection('mayors');
    await relate('mayors', 'cities', 'manyToOne', 'city', 'mayors', 'setNull');
  });

  it('oneToMany: moving a child from its side relinks it; restrict guards only the parent side', async () => {
    await p.db.createDocument(dbId, 'owners', 'o1', { name: 'One', pets: [{ $id: 'pet1', name: 'Rex' }, { $id: 'pet2', name: 'Tom' }] });
    await p.db.createDocument(dbId, 'owners', 'o2', { name: 'Two' });
    await p.db.updateDocument(dbId, 'pets', 'pet1', { owner: 'o2' });
    expect(idsOf((await get('owners', 'o1')).pets)).toEqual(['pet2']);
    expect(idsOf((await get('owners', 'o2')).pets)).toEqual(['pet1']);
    expect(await failure(p.db.deleteDocument(dbId, 'owners', 'o1'))).toEqual({ code: 403, type: 'document_delete_restricted' });
    // The child side of oneToMany is not restricted: deleting a pet unlinks it.
    await p.db.deleteDocument(dbId, 'pets', 'pet2');
    expect(idsOf((await get('owners', 'o1')).pets)).toEqual([]);
    await p.db.deleteDocument(dbId, 'owners', 'o1');
  });

  it('oneToOne cascade also runs from the child side', async () => {
    await p.db.createDocument(dbId, 'cars', 'car1', { name: 'Beetle', plate: { $id: 'pl1', code: 'AB-1' } });
    await p.db.deleteDocument(dbId, 'plates', 'pl1');
    expect(await failure(get('cars', 'car1'))).toEqual({ code: 404, type: 'document_not_found' });
  });

  it('manyToOne setNull: deleting the one side nulls every many-side link', async () => {
    await p.db.createDocument(dbId, 'mayors', 'm1', { name: 'A', city: { $id: 'city1', name: 'Springfield' } });
    await p.db.createDocument(dbId, 'mayors', 'm2', { name: 'B', city: 'city1' });
    await p.db.deleteDocument(dbId, 'cities', 'city1');
    expect((await get('mayors', 'm1')).city).toBeNull();
    expect((await get('mayors', 'm2')).city).toBeNull();
  });

  it('a link to a document that does not exist reads as null', async () => {
    const mayor = await p.db.createDocument(dbId, 'mayors', 'm3', { name: 'C', city: 'no-such-city' }).catch((e: { code: number; type: string }) => e);
    if ('code' in mayor) expect(mayor.code).toBe(400);
    else expect((await get('mayors', 'm3')).city).toBeNull();
  });
});

describe('legacy /v1/database schema routes (1.3.8 ENDPOINTS.md aliases)', () => {
  // 1.3.8 aliases the collection, attribute, index and document routes onto database "default".
  it('creates a collection, an attribute and an index under /v1/database/collections', async () => {
    const key = { 'x-appwrite-project': p.projectId, 'x-appwrite-key': p.console.key };
    await p.db.get('default').catch(() => p.db.create('default', 'Default'));
    const col = await raw('POST', '/database/collections', key, { collectionId: 'legacy_schema', name: 'Legacy schema', permissions: [], documentSecurity: false });
    expect(col.status).toBe(201);
    expect((await raw('GET', '/database/collections/legacy_schema', key)).status).toBe(200);
    const attr = await raw('POST', '/database/collections/legacy_schema/attributes/string', key, { key: 'v', size: 8, required: false });
    expect(attr.status).toBe(202);
    expect((await raw('GET', '/database/collections/legacy_schema/attributes', key)).status).toBe(200);
    expect((await raw('GET', '/database/collections/legacy_schema/indexes', key)).status).toBe(200);
  });
});

describe('self relationships and depth', () => {
  beforeAll(async () => {
    await collection('nodes');
    await relate('nodes', 'nodes', 'oneToMany', 'children', 'parent', 'cascade');
    await collection('friends');
    await relate('friends', 'friends', 'manyToMany', 'follows', 'followers', 'setNull');
  });

  it('a tree in one collection: nested children, the parent back-reference, a recursive cascade', async () => {
    await p.db.createDocument(dbId, 'nodes', 'root', { name: 'root', children: [{ $id: 'kid1', name: 'kid1', children: [{ $id: 'grandkid', name: 'gk' }] }, { $id: 'kid2', name: 'kid2' }] });
    expect(idsOf((await get('nodes', 'root')).children)).toEqual(['kid1', 'kid2']);
    expect(idOf((await get('nodes', 'kid1')).parent)).toBe('root');
    expect(idOf((await get('nodes', 'grandkid')).parent)).toBe('kid1');
    expect((await p.db.listDocuments(dbId, 'nodes')).total).toBe(4);
    await p.db.deleteDocument(dbId, 'nodes', 'root');
    expect((await p.db.listDocuments(dbId, 'nodes')).total).toBe(0);
  });

  it('manyToMany within one collection keeps the two directions apart', async () => {
    await p.db.createDocument(dbId, 'friends', 'f1', { name: 'one' });
    await p.db.createDocument(dbId, 'friends', 'f2', { name: 'two', follows: ['f1'] });
    await p.db.createDocument(dbId, 'friends', 'f3', { name: 'three', follows: ['f1', 'f2'] });
    expect(idsOf((await get('friends', 'f1')).followers)).toEqual(['f2', 'f3']);
    expect(idsOf((await get('friends', 'f1')).follows)).toEqual([]);
    expect(idsOf((await get('friends', 'f3')).follows)).toEqual(['f1', 'f2']);
    expect(idsOf((await get('friends', 'f3')).followers)).toEqual([]);
    await p.db.deleteDocument(dbId, 'friends', 'f2');
    expect(idsOf((await get('friends', 'f1')).followers)).toEqual(['f3']);
  });

  it('loads at most three levels deep', async () => {
    for (const name of ['l1', 'l2', 'l3', 'l4', 'l5']) await collection(name);
    for (const [a, b] of [['l1', 'l2'], ['l2', 'l3'], ['l3', 'l4'], ['l4', 'l5']]) {
      await p.db.createRelationshipAttribute(dbId, a, b, 'oneToOne', false, 'next', undefined, 'setNull');
      await attributeStatus(p.db, dbId, a, 'next');
    }
    await p.db.createDocument(dbId, 'l1', 'x1', { name: '1', next: { $id: 'x2', name: '2', next: { $id: 'x3', name: '3', next: { $id: 'x4', name: '4' } } } });
    await p.db.updateDocument(dbId, 'l4', 'x4', { next: { $id: 'x5', name: '5' } });
    const top = await get('l1', 'x1');
    const second = top.next as Doc;
    const third = second.next as Doc;
    expect([second.$id, third.$id]).toEqual(['x2', 'x3']);
    // The third level's own relationship is not expanded any further.
    const fourth = third.next as unknown;
    expect(fourth === undefined || fourth === null || typeof fourth === 'string' || (fourth as Doc).next === undefined).toBe(true);
  });
});

describe('audit logs (worker-audits)', () => {
  it('document, collection and database logs record who did what', async () => {
    await collection('audited', ['v']);
    await alice.databases.createDocument(dbId, 'audited', 'a1', { v: 'one' });
    await p.db.updateDocument(dbId, 'audited', 'a1', { v: 'two' });
    const key = { 'x-appwrite-project': p.projectId, 'x-appwrite-key': p.console.key };
    type Logs = { total: number; logs: { event: string; userId: string; time: string }[] };
    const docLogs = await eventually(async () => {
      const res = await raw<Logs>('GET', `/databases/${dbId}/collections/audited/documents/a1/logs`, key);
      return res.status === 200 && res.body.total >= 2 ? res.body : undefined;
    }, 'document logs');
    const events = docLogs.logs.map((l) => l.event).sort();
    expect(events).toEqual(['document.create', 'document.update']);
    expect(docLogs.logs.find((l) => l.event === 'document.create')?.userId).toBe(alice.userId);
    expect(docLogs.logs[0].time).toMatch(/\+00:00$/);

    const colLogs = await eventually(async () => {
      const res = await raw<Logs>('GET', `/databases/${dbId}/collections/audited/logs`, key);
      return res.status === 200 && res.body.logs.some((l) => l.event === 'attribute.create') ? res.body : undefined;
    }, 'collection logs');
    expect(colLogs.logs.map((l) => l.event)).toEqual(expect.arrayContaining(['collection.create', 'attribute.create']));
    const dbLogs = await eventually(async () => {
      const res = await raw<Logs>('GET', `/databases/${dbId}/logs`, key);
      return res.status === 200 && res.body.total > 0 ? res.body : undefined;
    }, 'database logs');
    expect(dbLogs.logs.map((l) => l.event)).toContain('database.create');
  });
});

describe('teardown by worker-deletes', () => {
  it('deleting the database drops every table, junctions included; deleting the project drops the rest', async () => {
    const conn = await connectDb();
    try {
      const seq = await projectSeq(conn, p.projectId);
      const rows = (await conn.query('SELECT _id AS id FROM `databases` WHERE _project = ? AND _uid = ?', [p.projectId, dbId])) as { id: bigint }[];
      const prefix = `_${seq}_${rows[0].id}_`;
      await p.db.createCollection(dbId, 'left', 'Left', [], false);
      await p.db.createCollection(dbId, 'right', 'Right', [], false);
      await p.db.createRelationshipAttribute(dbId, 'left', 'right', 'manyToMany', true, 'rights', 'lefts', 'cascade');
      await attributeStatus(p.db, dbId, 'left', 'rights');
      await p.db.createDocument(dbId, 'left', 'l1', { rights: [{ $id: 'r1' }] });
      const before = await tablesLike(conn, prefix);
      // Every collection table has its _perms twin; the manyToMany junction(s) come on top.
      expect(before.filter((t) => !t.endsWith('_perms')).length).toBeGreaterThan(before.filter((t) => t.endsWith('_perms')).length);

      await p.db.delete(dbId);
      const left = await eventuallyEmpty(() => tablesLike(conn, prefix));
      expect(left).toEqual([]);
      const meta = (await conn.query('SELECT COUNT(*) AS n FROM collections WHERE _project = ? AND databaseInternalId = ?', [p.projectId, rows[0].id])) as { n: bigint }[];
      expect(Number(meta[0].n)).toBe(0);

      // The project: its other databases' tables go with it.
      await p.db.create('other', 'Other');
      await p.db.createCollection('other', 'c', 'C');
      expect((await tablesLike(conn, `_${seq}_`)).length).toBeGreaterThan(0);
      const res = await p.console.call('DELETE', `/projects/${p.projectId}`, { password: p.console.password });
      expect(res.status).toBe(204);
      expect(await eventuallyEmpty(() => tablesLike(conn, `_${seq}_`))).toEqual([]);
    } finally {
      await conn.end();
    }
  });
});

async function eventuallyEmpty(probe: () => Promise<string[]>, timeoutMs = 20000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (last.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}
