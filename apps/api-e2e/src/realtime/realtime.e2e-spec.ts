import * as sdk from 'node-appwrite';
import { buildEvents } from '@appconda/contracts';

import { allAvailable, dbProject, DbProject } from '../databases/db-helpers';
import { signedInUser, web, webClient, WebUser } from '../../support/identity-clients';
import { browser, Browser, closeAllSockets, sessionCookie, sleep, until } from './realtime-support';

/**
 * `client.subscribe` of the web SDK (appwrite@11) against `appconda all`, where `/v1/realtime` answers
 * on the API's own port: the handshake, the 1.3 channels and event names, and the permission filter.
 */
describe('realtime: channels, events and permissions through the web SDK', () => {
  let project: DbProject;
  let storage: sdk.Storage;
  let alice: WebUser & { userId: string; sessionId: string };
  let bob: WebUser & { userId: string; sessionId: string };
  let aliceBrowser: Browser;
  const databaseId = 'rtdb';
  const collectionId = 'notes';
  const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

  beforeAll(async () => {
    project = await dbProject('realtime');
    storage = new sdk.Storage(project.key);
    await project.db.create(databaseId, 'Realtime');
    await project.db.createCollection(databaseId, collectionId, 'Notes', [sdk.Permission.create(sdk.Role.users())], true);
    await project.db.createStringAttribute(databaseId, collectionId, 'title', 64, false);
    await allAvailable(project.db, databaseId, collectionId);
    [alice, bob] = await Promise.all([signedInUser(project.projectId, 'alice'), signedInUser(project.projectId, 'bob')]);
    // A browser on the same site as the API: its cookie jar holds the session cookie.
    aliceBrowser = browser(alice.client, alice.store, { cookie: sessionCookie(alice.store, project.projectId) });
  });

  afterAll(() => closeAllSockets());

  const eventNames = (template: string, params: Record<string, string>) => buildEvents(template, params);

  it('connects a guest with user null and a signed-in browser with its Account model, on the API port', async () => {
    const guest = webClient(project.projectId);
    const guestBrowser = browser(guest.client, guest.store);
    const guestSub = guestBrowser.subscribe(['documents', 'account']);
    const sub = aliceBrowser.subscribe('account');
    await Promise.all([guestSub.ready, sub.ready]);
    const connected = guestBrowser.profile.sockets[0].frames[0];
    expect(guestBrowser.profile.sockets[0].url).toBe(`${project.console.endpoint.replace('http', 'ws')}/realtime?project=${project.projectId}&channels%5B%5D=documents&channels%5B%5D=account`);
    expect(connected).toEqual({ type: 'connected', data: { channels: ['documents', 'account'], user: null } });
    const signedIn = (await sub.ready).frames[0];
    const account = await alice.account.get();
    expect(signedIn).toEqual({ type: 'connected', data: { channels: ['account', `account.${alice.userId}`], user: account } });
    guestSub.close();
    sub.close();
  });

  it('delivers document create, update and delete with the 1.3 event names, channels and the REST payload', async () => {
    const sub = aliceBrowser.subscribe(`databases.${databaseId}.collections.${collectionId}.documents`);
    await sub.ready;
    const documents = new web.Databases(alice.client);
    const created = await documents.createDocument(databaseId, collectionId, web.ID.unique(), { title: 'first' });
    const base = `databases.${databaseId}.collections.${collectionId}.documents`;
    const channels = ['documents', base, `${base}.${created.$id}`];
    const params = { databaseId, collectionId, documentId: created.$id };

    const onCreate = await until(() => sub.received[0], 'create event');
    expect(onCreate).toEqual({ events: eventNames('databases.[databaseId].collections.[collectionId].documents.[documentId].create', params), channels, timestamp: expect.stringMatching(DATE), payload: created });
    expect(onCreate.events).toHaveLength(22);
    expect(onCreate.events[0]).toBe(`${base}.${created.$id}.create`);

    const updated = await documents.updateDocument(databaseId, collectionId, created.$id, { title: 'second' });
    const onUpdate = await until(() => sub.received[1], 'update event');
    expect(onUpdate).toEqual({ events: eventNames('databases.[databaseId].collections.[collectionId].documents.[documentId].update', params), channels, timestamp: expect.stringMatching(DATE), payload: updated });

    await documents.deleteDocument(databaseId, collectionId, created.$id);
    const onDelete = await until(() => sub.received[2], 'delete event');
    expect(onDelete).toEqual({ events: eventNames('databases.[databaseId].collections.[collectionId].documents.[documentId].delete', params), channels, timestamp: expect.stringMatching(DATE), payload: updated });
    sub.close();
  });

  it('does not deliver a document only another user may read', async () => {
    const sub = aliceBrowser.subscribe('documents');
    await sub.ready;
    const hidden = await project.db.createDocument(databaseId, collectionId, sdk.ID.unique(), { title: 'bob only' }, [sdk.Permission.read(sdk.Role.user(bob.userId))]);
    const visible = await project.db.createDocument(databaseId, collectionId, sdk.ID.unique(), { title: 'alice' }, [sdk.Permission.read(sdk.Role.user(alice.userId))]);
    // Events are delivered in publish order: once the later one is in, the earlier one would be too.
    await until(() => sub.received.find((e) => e.payload.$id === visible.$id), 'alice document');
    expect(sub.received.map((e) => e.payload.$id)).toEqual([visible.$id]);
    expect(sub.received.some((e) => e.payload.$id === hidden.$id)).toBe(false);
    sub.close();
  });

  it('delivers file events of a bucket with fileSecurity to the file readers only', async () => {
    const bucket = await storage.createBucket(sdk.ID.unique(), 'Realtime files', [], true);
    const sub = aliceBrowser.subscribe(['files', `buckets.${bucket.$id}.files`]);
    await sub.ready;
    await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('nobody', 'hidden.txt'), [sdk.Permission.read(sdk.Role.user(bob.userId))]);
    const file = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('hello', 'hello.txt'), [sdk.Permission.read(sdk.Role.user(alice.userId))]);
    const event = await until(() => sub.received[0], 'file event');
    expect(event).toEqual({
      events: eventNames('buckets.[bucketId].files.[fileId].create', { bucketId: bucket.$id, fileId: file.$id }),
      channels: ['files', `buckets.${bucket.$id}.files`, `buckets.${bucket.$id}.files.${file.$id}`],
      timestamp: expect.stringMatching(DATE),
      payload: file,
    });
    await sleep(300);
    expect(sub.received).toHaveLength(1);
    sub.close();
  });

  it('delivers account events on account and account.<id> to that user only', async () => {
    const sub = aliceBrowser.subscribe('account');
    const bobBrowser = browser(bob.client, bob.store, { cookie: sessionCookie(bob.store, project.projectId) });
    const bobSub = bobBrowser.subscribe('account');
    await Promise.all([sub.ready, bobSub.ready]);
    const renamed = await alice.account.updateName('Alice Realtime');
    const event = await until(() => sub.received[0], 'account event');
    expect(event).toEqual({ events: eventNames('users.[userId].update.name', { userId: alice.userId }), channels: ['account', `account.${alice.userId}`], timestamp: expect.stringMatching(DATE), payload: renamed });
    await sleep(300);
    expect(bobSub.received).toHaveLength(0);
    sub.close();
    bobSub.close();
  });

  it('delivers team and membership events to the team members', async () => {
    const team = await alice.teams.create(web.ID.unique(), 'Realtime team');
    // Alice became the owner after her socket opened: her roles are refreshed on the same connection.
    const sub = aliceBrowser.subscribe(['teams', 'memberships']);
    await sub.ready;
    const renamed = await alice.teams.updateName(team.$id, 'Realtime team 2');
    const teamEvent = await until(() => sub.received[0], 'team event');
    expect(teamEvent).toEqual({ events: eventNames('teams.[teamId].update', { teamId: team.$id }), channels: ['teams', `teams.${team.$id}`], timestamp: expect.stringMatching(DATE), payload: renamed });
    const membership = await project.teams.createMembership(team.$id, ['editor'], 'http://localhost/join', bob.email);
    const membershipEvent = await until(() => sub.received[1], 'membership event');
    expect(membershipEvent).toEqual({
      events: eventNames('teams.[teamId].memberships.[membershipId].create', { teamId: team.$id, membershipId: membership.$id }),
      channels: ['memberships', `memberships.${membership.$id}`],
      timestamp: expect.stringMatching(DATE),
      payload: membership,
    });
    sub.close();
  });
});
