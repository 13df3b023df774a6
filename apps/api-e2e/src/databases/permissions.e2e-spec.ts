import * as sdk from 'node-appwrite';

import { failure } from '../../support/identity-clients';
import { allAvailable, dbProject, DbProject, dbUser, DbUser, guestDatabases, web } from './db-helpers';

// Document permissions against `appconda all`, as apps see them: guests (role `any` only), signed-in
// users (`users`, `user:<id>`), team roles (`team:<id>`, `team:<id>/<role>`) with a membership the key
// confirmed, collection-level grants with documentSecurity off and on, and the rule that a user never
// sees another user's private document in get, list or total.

const { Permission, Role } = sdk;
const dbId = 'perms';

let p: DbProject;
let alice: DbUser;
let bob: DbUser;
let carol: DbUser;
let guest: InstanceType<typeof web.Databases>;
let teamId: string;

async function collection(id: string, permissions: string[], documentSecurity: boolean): Promise<void> {
  await p.db.createCollection(dbId, id, id, permissions, documentSecurity);
  await p.db.createStringAttribute(dbId, id, 'text', 64, false);
  await allAvailable(p.db, dbId, id);
}

beforeAll(async () => {
  p = await dbProject('db-perms');
  [alice, bob, carol] = await Promise.all([dbUser(p.projectId, 'alice'), dbUser(p.projectId, 'bob'), dbUser(p.projectId, 'carol')]);
  guest = guestDatabases(p.projectId);
  await p.db.create(dbId, 'Permissions');
  // Alice creates a team (she becomes its owner); the key adds Bob as an editor (confirmed at once).
  const team = await alice.teams.create(web.ID.unique(), 'Editors');
  teamId = team.$id;
  const membership = await p.teams.createMembership(teamId, ['editor'], 'http://localhost/join', undefined, bob.userId);
  expect(membership.confirm).toBe(true);
});

describe('collection level, documentSecurity off', () => {
  it('read(any) + create(users): guests read, guests cannot write, users create', async () => {
    await collection('public', [Permission.read(Role.any()), Permission.create(Role.users())], false);
    await p.db.createDocument(dbId, 'public', 'seed', { text: 'from key' });
    expect((await guest.getDocument(dbId, 'public', 'seed')).text).toBe('from key');
    expect((await guest.listDocuments(dbId, 'public')).total).toBe(1);
    expect(await failure(guest.createDocument(dbId, 'public', web.ID.unique(), { text: 'guest' }))).toEqual({ code: 401, type: 'user_unauthorized' });
    const mine = await alice.databases.createDocument(dbId, 'public', web.ID.unique(), { text: 'alice' });
    expect((await guest.listDocuments(dbId, 'public')).total).toBe(2);
    // No update permission anywhere: the creator's default grants do not apply without documentSecurity.
    expect(await failure(alice.databases.updateDocument(dbId, 'public', mine.$id, { text: 'edit' }))).toEqual({ code: 401, type: 'user_unauthorized' });
    expect(await failure(alice.databases.deleteDocument(dbId, 'public', mine.$id))).toEqual({ code: 401, type: 'user_unauthorized' });
  });

  it('read(users): guests get 404 on get and 401 on list; users read', async () => {
    await collection('members', [Permission.read(Role.users())], false);
    await p.db.createDocument(dbId, 'members', 'm1', { text: 'members only' });
    expect(await failure(guest.getDocument(dbId, 'members', 'm1'))).toEqual({ code: 404, type: 'document_not_found' });
    expect(await failure(guest.listDocuments(dbId, 'members'))).toEqual({ code: 401, type: 'user_unauthorized' });
    expect((await carol.databases.getDocument(dbId, 'members', 'm1')).text).toBe('members only');
    expect((await carol.databases.listDocuments(dbId, 'members')).total).toBe(1);
    expect(await failure(carol.databases.createDocument(dbId, 'members', web.ID.unique(), { text: 'x' }))).toEqual({ code: 401, type: 'user_unauthorized' });
  });

  it('team:<id>/<role> and team:<id>: only the role reads, any member creates', async () => {
    await collection('team', [Permission.read(Role.team(teamId, 'editor')), Permission.create(Role.team(teamId)), Permission.update(Role.team(teamId, 'editor'))], false);
    const byAlice = await alice.databases.createDocument(dbId, 'team', web.ID.unique(), { text: 'owner wrote' });
    const byBob = await bob.databases.createDocument(dbId, 'team', web.ID.unique(), { text: 'editor wrote' });
    expect(await failure(carol.databases.createDocument(dbId, 'team', web.ID.unique(), { text: 'outsider' }))).toEqual({ code: 401, type: 'user_unauthorized' });

    const seen = await bob.databases.listDocuments(dbId, 'team');
    expect(seen.total).toBe(2);
    expect(seen.documents.map((d) => d.$id).sort()).toEqual([byAlice.$id, byBob.$id].sort());
    expect((await bob.databases.updateDocument(dbId, 'team', byAlice.$id, { text: 'edited by editor' })).text).toBe('edited by editor');
    // Alice is the owner, not an editor.
    expect(await failure(alice.databases.listDocuments(dbId, 'team'))).toEqual({ code: 401, type: 'user_unauthorized' });
    expect(await failure(alice.databases.getDocument(dbId, 'team', byBob.$id))).toEqual({ code: 404, type: 'document_not_found' });
    expect(await failure(carol.databases.listDocuments(dbId, 'team'))).toEqual({ code: 401, type: 'user_unauthorized' });
  });

  it('a membership added while signed in counts on the next request', async () => {
    const dave = await dbUser(p.projectId, 'dave');
    const crew = await p.teams.create(sdk.ID.unique(), 'Late crew');
    await collection('late', [Permission.read(Role.team(crew.$id, 'pilot'))], false);
    expect(await failure(dave.databases.listDocuments(dbId, 'late'))).toEqual({ code: 401, type: 'user_unauthorized' });
    const membership = await p.teams.createMembership(crew.$id, ['pilot'], 'http://localhost/join', undefined, dave.userId);
    expect((await dave.databases.listDocuments(dbId, 'late')).total).toBe(0);
    await p.teams.updateMembershipRoles(crew.$id, membership.$id, ['cook']);
    expect(await failure(dave.databases.listDocuments(dbId, 'late'))).toEqual({ code: 401, type: 'user_unauthorized' });
  });

  it('ignores document grants when documentSecurity is off', async () => {
    await collection('ignored', [Permission.create(Role.users())], false);
    const doc = await alice.databases.createDocument(dbId, 'ignored', web.ID.unique(), { text: 'x' }, [Permission.read(Role.user(alice.userId))]);
    expect(await failure(alice.databases.getDocument(dbId, 'ignored', doc.$id))).toEqual({ code: 404, type: 'document_not_found' });
    expect(await failure(alice.databases.listDocuments(dbId, 'ignored'))).toEqual({ code: 401, type: 'user_unauthorized' });
    // Turning documentSecurity on makes the same grant count.
    await p.db.updateCollection(dbId, 'ignored', 'ignored', [Permission.create(Role.users())], true);
    expect((await alice.databases.getDocument(dbId, 'ignored', doc.$id)).text).toBe('x');
  });
});

describe('documentSecurity on', () => {
  let aliceDoc: string;
  let bobDoc: string;

  beforeAll(async () => {
    await collection('private', [Permission.create(Role.users())], true);
    aliceDoc = (await alice.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'alice secret' })).$id;
    bobDoc = (await bob.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'bob secret' })).$id;
    await alice.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'alice second' });
  });

  it('a user never sees another user’s private document in get, list or total', async () => {
    const aliceList = await alice.databases.listDocuments(dbId, 'private');
    expect(aliceList.total).toBe(2);
    expect(aliceList.documents.map((d) => d.text).sort()).toEqual(['alice second', 'alice secret']);
    const bobList = await bob.databases.listDocuments(dbId, 'private', [web.Query.limit(1)]);
    expect(bobList.total).toBe(1);
    expect(bobList.documents.map((d) => d.$id)).toEqual([bobDoc]);
    expect((await carol.databases.listDocuments(dbId, 'private')).total).toBe(0);
    expect((await guest.listDocuments(dbId, 'private')).total).toBe(0);
    expect(await failure(bob.databases.getDocument(dbId, 'private', aliceDoc))).toEqual({ code: 404, type: 'document_not_found' });
    // A cursor on someone else's document either is refused or pages over the caller's own documents only.
    const paged = await bob.databases.listDocuments(dbId, 'private', [web.Query.cursorBefore(aliceDoc)]).catch((e: { code: number; type: string }) => e);
    if ('code' in paged) expect(paged).toMatchObject({ code: 400, type: 'general_cursor_not_found' });
    else expect(paged.documents.every((d) => d.$id === bobDoc)).toBe(true);
    expect((await bob.databases.listDocuments(dbId, 'private', [web.Query.equal('text', 'alice secret')])).total).toBe(0);
    // The key sees everything.
    expect((await p.db.listDocuments(dbId, 'private')).total).toBe(3);
  });

  it('another user cannot update or delete a private document', async () => {
    expect(await failure(bob.databases.updateDocument(dbId, 'private', aliceDoc, { text: 'hacked' }))).toMatchObject({ code: 401, type: 'user_unauthorized' });
    expect(await failure(bob.databases.deleteDocument(dbId, 'private', aliceDoc))).toMatchObject({ code: 401, type: 'user_unauthorized' });
    expect((await alice.databases.getDocument(dbId, 'private', aliceDoc)).text).toBe('alice secret');
  });

  it('sharing: read(user:<bob>) set by the key, and read(any), grant exactly that', async () => {
    // A user may only grant roles they hold (1.3: 401 "Permissions must be one of …").
    expect(await failure(alice.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'x' }, [Permission.read(Role.user(bob.userId))]))).toEqual({ code: 401, type: 'user_unauthorized' });
    const shared = await alice.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'for bob' });
    expect(await failure(bob.databases.getDocument(dbId, 'private', shared.$id))).toEqual({ code: 404, type: 'document_not_found' });
    await p.db.updateDocument(dbId, 'private', shared.$id, undefined, [
      Permission.read(Role.user(alice.userId)),
      Permission.read(Role.user(bob.userId)),
      Permission.update(Role.user(alice.userId)),
    ]);
    expect((await bob.databases.getDocument(dbId, 'private', shared.$id)).text).toBe('for bob');
    expect((await bob.databases.listDocuments(dbId, 'private')).total).toBe(2);
    expect(await failure(bob.databases.updateDocument(dbId, 'private', shared.$id, { text: 'no' }))).toMatchObject({ code: 401 });
    expect(await failure(carol.databases.getDocument(dbId, 'private', shared.$id))).toEqual({ code: 404, type: 'document_not_found' });
    // Alice lost delete (the key replaced the grants) but kept update.
    expect((await alice.databases.updateDocument(dbId, 'private', shared.$id, { text: 'for bob v2' })).text).toBe('for bob v2');
    expect(await failure(alice.databases.deleteDocument(dbId, 'private', shared.$id))).toMatchObject({ code: 401 });

    const open = await alice.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'public' }, [Permission.read(Role.any())]);
    expect((await guest.getDocument(dbId, 'private', open.$id)).text).toBe('public');
    expect((await guest.listDocuments(dbId, 'private')).documents.map((d) => d.$id)).toEqual([open.$id]);
    // Without an update grant Alice herself cannot change it any more.
    expect(await failure(alice.databases.updateDocument(dbId, 'private', open.$id, { text: 'edit' }))).toMatchObject({ code: 401 });
  });

  it('team grants on documents, and users may only grant roles they hold', async () => {
    const teamDoc = await bob.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'team note' }, [Permission.read(Role.team(teamId))]);
    expect((await alice.databases.getDocument(dbId, 'private', teamDoc.$id)).text).toBe('team note');
    expect(await failure(carol.databases.getDocument(dbId, 'private', teamDoc.$id))).toEqual({ code: 404, type: 'document_not_found' });
    expect(await failure(carol.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'x' }, [Permission.read(Role.team(teamId))]))).toEqual({ code: 401, type: 'user_unauthorized' });
    expect(await failure(carol.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'x' }, [Permission.read(Role.user(alice.userId))]))).toEqual({ code: 401, type: 'user_unauthorized' });
    expect((await failure(carol.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'x' }, ['read("bogus")']))).code).toBe(400);
  });

  it('paging with cursors over a permission-filtered list keeps total and order consistent', async () => {
    const full = await bob.databases.listDocuments(dbId, 'private', [web.Query.orderDesc('text'), web.Query.limit(100)]);
    expect(full.documents.length).toBe(full.total);
    expect(full.total).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await bob.databases.listDocuments(dbId, 'private', [web.Query.orderDesc('text'), web.Query.limit(1), ...(cursor ? [web.Query.cursorAfter(cursor)] : [])]);
      expect(page.total).toBe(full.total);
      if (!page.documents.length) break;
      seen.push(page.documents[0].$id);
      cursor = page.documents[0].$id;
    }
    expect(seen).toEqual(full.documents.map((d) => d.$id));
    const offset = await bob.databases.listDocuments(dbId, 'private', [web.Query.orderDesc('text'), web.Query.offset(1), web.Query.limit(100)]);
    expect(offset.documents.map((d) => d.$id)).toEqual(seen.slice(1));
  });

  it('member:<membershipId> and user:<id>/unverified grants', async () => {
    const memberships = await p.teams.listMemberships(teamId);
    const bobMembership = memberships.memberships.find((m) => m.userId === bob.userId)!;
    const doc = await p.db.createDocument(dbId, 'private', sdk.ID.unique(), { text: 'for the membership' }, [Permission.read(Role.member(bobMembership.$id))]);
    expect((await bob.databases.getDocument(dbId, 'private', doc.$id)).text).toBe('for the membership');
    expect(await failure(alice.databases.getDocument(dbId, 'private', doc.$id))).toEqual({ code: 404, type: 'document_not_found' });
    const unverified = await p.db.createDocument(dbId, 'private', sdk.ID.unique(), { text: 'unverified carol' }, [Permission.read(Role.user(carol.userId, 'unverified'))]);
    expect((await carol.databases.getDocument(dbId, 'private', unverified.$id)).text).toBe('unverified carol');
    const verified = await p.db.createDocument(dbId, 'private', sdk.ID.unique(), { text: 'verified carol' }, [Permission.read(Role.user(carol.userId, 'verified'))]);
    expect(await failure(carol.databases.getDocument(dbId, 'private', verified.$id))).toEqual({ code: 404, type: 'document_not_found' });
  });

  it('a disabled collection is 404 for users and keys (1.3 exempts only console admins)', async () => {
    await p.db.updateCollection(dbId, 'private', 'private', [Permission.create(Role.users())], true, false);
    expect(await failure(alice.databases.getDocument(dbId, 'private', aliceDoc))).toEqual({ code: 404, type: 'collection_not_found' });
    expect(await failure(alice.databases.createDocument(dbId, 'private', web.ID.unique(), { text: 'x' }))).toEqual({ code: 404, type: 'collection_not_found' });
    expect(await failure(p.db.getDocument(dbId, 'private', aliceDoc))).toEqual({ code: 404, type: 'collection_not_found' });
    await p.db.updateCollection(dbId, 'private', 'private', [Permission.create(Role.users())], true, true);
    expect((await alice.databases.getDocument(dbId, 'private', aliceDoc)).text).toBe('alice secret');
  });
});

describe('callers: JWT, scoped keys, users on schema routes', () => {
  beforeAll(async () => {
    await collection('mine', [Permission.create(Role.users())], true);
    await alice.databases.createDocument(dbId, 'mine', 'a-private', { text: 'alice only' });
  });

  it('a server SDK with the user’s JWT acts as that user', async () => {
    const { jwt } = await alice.account.createJWT();
    const asAlice = new sdk.Databases(new sdk.Client().setEndpoint(p.console.endpoint).setProject(p.projectId).setJWT(jwt));
    expect(((await asAlice.getDocument(dbId, 'mine', 'a-private')) as unknown as { text: string }).text).toBe('alice only');
    expect((await asAlice.listDocuments(dbId, 'mine')).total).toBe(1);
    const { jwt: bobJwt } = await bob.account.createJWT();
    const asBob = new sdk.Databases(new sdk.Client().setEndpoint(p.console.endpoint).setProject(p.projectId).setJWT(bobJwt));
    expect(await failure(asBob.getDocument(dbId, 'mine', 'a-private'))).toEqual({ code: 404, type: 'document_not_found' });
    expect((await asBob.listDocuments(dbId, 'mine')).total).toBe(0);
  });

  it('a key needs the documents/collections scope of the route', async () => {
    const res = await p.console.call<{ secret: string }>('POST', `/projects/${p.projectId}/keys`, { name: 'read only', scopes: ['documents.read'] });
    expect(res.status).toBe(201);
    const readOnly = new sdk.Databases(new sdk.Client().setEndpoint(p.console.endpoint).setProject(p.projectId).setKey(res.body.secret));
    expect(((await readOnly.getDocument(dbId, 'mine', 'a-private')) as unknown as { text: string }).text).toBe('alice only');
    expect(await failure(readOnly.createDocument(dbId, 'mine', sdk.ID.unique(), { text: 'x' }))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
    expect(await failure(readOnly.listCollections(dbId))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
    expect(await failure(readOnly.createCollection(dbId, sdk.ID.unique(), 'x'))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
  });

  it('a signed-in user cannot reach the schema routes', async () => {
    const call = (path: string) => alice.client.call('get', new URL(`${p.console.endpoint}${path}`), { 'content-type': 'application/json' }, {});
    expect(await failure(call(`/databases/${dbId}/collections`))).toMatchObject({ code: 401 });
    expect(await failure(call(`/databases`))).toMatchObject({ code: 401 });
  });

  it('system keys in the data cannot forge $createdAt or $collectionId', async () => {
    const doc = await alice.databases.createDocument(dbId, 'mine', sdk.ID.unique(), { text: 'forge', $createdAt: '2000-01-01T00:00:00.000+00:00', $collectionId: 'elsewhere' } as never).catch((e: { code: number; type: string }) => e);
    if ('code' in doc) expect(doc.code).toBe(400);
    else {
      expect(doc.$createdAt.startsWith('2000')).toBe(false);
      expect(doc.$collectionId).toBe('mine');
    }
  });
});
