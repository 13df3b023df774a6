import * as sdk from 'node-appwrite';

import { allAvailable, dbProject, DbProject } from '../databases/db-helpers';
import { signedInUser, WebUser } from '../../support/identity-clients';
import { browser, closeAllSockets, sessionCookie, sleep, until } from './realtime-support';

/**
 * Who a connection is, and how that changes while it stays open: the `authentication` message of a
 * guest socket (the web SDK's X-Fallback-Cookies path), and — better than 1.3 — roles re-read when a
 * membership goes away, and sockets closed when their session is deleted.
 */
describe('realtime: authentication and role changes on open connections', () => {
  let project: DbProject;
  let carol: WebUser & { userId: string; sessionId: string };
  const databaseId = 'rtroles';
  const collectionId = 'posts';
  const post = (roles: string[]) => project.db.createDocument(databaseId, collectionId, sdk.ID.unique(), { title: 'x' }, roles.map((role) => sdk.Permission.read(role)));

  beforeAll(async () => {
    project = await dbProject('realtime-roles');
    await project.db.create(databaseId, 'Roles');
    await project.db.createCollection(databaseId, collectionId, 'Posts', [], true);
    await project.db.createStringAttribute(databaseId, collectionId, 'title', 16, false);
    await allAvailable(project.db, databaseId, collectionId);
    carol = await signedInUser(project.projectId, 'carol');
  });

  afterAll(() => closeAllSockets());

  it('signs a guest socket in with the authentication message the web SDK sends from its fallback session', async () => {
    // No cookie jar (third-party cookies blocked): the SDK holds the session in localStorage only.
    const page = browser(carol.client, carol.store);
    const sub = page.subscribe(['account', 'documents']);
    const socket = await sub.ready;
    expect(socket.frames[0]).toEqual({ type: 'connected', data: { channels: ['account', 'documents'], user: null } });
    const response = await until(() => socket.frames.find((f) => f.type === 'response'), 'authentication response');
    expect(response).toEqual({ type: 'response', data: { to: 'authentication', success: true, user: await carol.account.get() } });
    const mine = await post([sdk.Role.user(carol.userId)]);
    await until(() => sub.received.find((e) => e.payload.$id === mine.$id), 'document readable by carol');
    sub.close();
  });

  it('stops a removed team member receiving the team’s events without reconnecting', async () => {
    const dave = await signedInUser(project.projectId, 'dave');
    const team = await project.teams.create(sdk.ID.unique(), 'Editors');
    const membership = await project.teams.createMembership(team.$id, ['editor'], 'http://localhost/join', dave.email);
    const page = browser(dave.client, dave.store, { cookie: sessionCookie(dave.store, project.projectId) });
    const sub = page.subscribe('documents');
    await sub.ready;

    const before = await post([sdk.Role.team(team.$id)]);
    await until(() => sub.received.find((e) => e.payload.$id === before.$id), 'team document while a member');

    await project.teams.deleteMembership(team.$id, membership.$id);
    const hidden = await post([sdk.Role.team(team.$id)]);
    const own = await post([sdk.Role.user(dave.userId)]);
    await until(() => sub.received.find((e) => e.payload.$id === own.$id), 'own document after removal');
    expect(sub.received.map((e) => e.payload.$id)).toEqual([before.$id, own.$id]);
    expect(sub.received.some((e) => e.payload.$id === hidden.$id)).toBe(false);
    // Same socket throughout: the roles changed under it.
    expect(page.profile.sockets).toHaveLength(1);
    expect(page.profile.sockets[0].closed).toBeUndefined();

    // And added back: the roles grow again on the same socket.
    await project.teams.createMembership(team.$id, ['editor'], 'http://localhost/join', dave.email);
    const again = await post([sdk.Role.team(team.$id)]);
    await until(() => sub.received.find((e) => e.payload.$id === again.$id), 'team document after re-joining');
    expect(page.profile.sockets).toHaveLength(1);
    sub.close();
  });

  it('closes the sockets of a deleted session and keeps the user’s other sessions', async () => {
    const erin = await signedInUser(project.projectId, 'erin');
    const other = await signedInUser(project.projectId, 'erin-other');
    const page = browser(erin.client, erin.store, { cookie: sessionCookie(erin.store, project.projectId) });
    const watcher = browser(other.client, other.store, { cookie: sessionCookie(other.store, project.projectId) });
    const sub = page.subscribe('documents');
    const otherSub = watcher.subscribe('documents');
    const socket = await sub.ready;
    await otherSub.ready;

    await project.users.deleteSession(erin.userId, erin.sessionId);
    const closed = await until(() => socket.closed, 'socket closed');
    expect(closed).toEqual({ code: 1008, reason: 'Session is not valid.' });
    // No 1008 error message: the SDK reconnects, now as a guest (its session is gone).
    const guest = await until(() => page.profile.sockets[1]?.frames.find((f) => f.type === 'connected'), 'reconnected', 5000);
    expect(guest).toEqual({ type: 'connected', data: { channels: ['documents'], user: null } });

    const forOther = await post([sdk.Role.user(other.userId)]);
    await until(() => otherSub.received.find((e) => e.payload.$id === forOther.$id), 'other user still receives');
    await sleep(200);
    expect(sub.received).toHaveLength(0);
    sub.close();
    otherSub.close();
  });

  it('closes every socket of a blocked user', async () => {
    const frank = await signedInUser(project.projectId, 'frank');
    const page = browser(frank.client, frank.store, { cookie: sessionCookie(frank.store, project.projectId) });
    const socket = await page.subscribe('account').ready;
    await project.users.updateStatus(frank.userId, false);
    expect(await until(() => socket.closed, 'socket closed')).toEqual({ code: 1008, reason: 'Session is not valid.' });
  });
});
