import * as server from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { eventually, keyClient, signedInUser, web } from '../../support/identity-clients';
import { keysOf, modelShape } from '../../support/identity-models';

type Json = Record<string, unknown>;

/** Every identity response model carries exactly the 1.3 fields (none missing, none extra). */
describe('identity: response models (appconda all)', () => {
  let consoleSession: ConsoleSession;
  let users: server.Users;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('models');
    users = new server.Users(keyClient(consoleSession.projectId, consoleSession.key));
  });

  it('account routes answer Account, Session, Token, JWT and Log models', async () => {
    const user = await signedInUser(consoleSession.projectId, 'models');
    expect(keysOf('account', await user.account.get())).toEqual(modelShape('account'));
    expect(keysOf('account', await user.account.updateName('Model'))).toEqual(modelShape('account'));
    const session = await user.account.getSession('current');
    expect(keysOf('session', session)).toEqual(modelShape('session'));
    expect(session).toMatchObject({ ip: user.ip, providerAccessToken: '', providerRefreshToken: '', providerAccessTokenExpiry: '' });
    const list = await user.account.listSessions();
    expect(Object.keys(list).sort()).toEqual(['sessions', 'total']);
    expect(keysOf('session', list.sessions[0])).toEqual(modelShape('session'));
    expect(keysOf('token', await user.account.createVerification('http://localhost/verify'))).toEqual(modelShape('token'));
    expect(keysOf('jwt', await user.account.createJWT())).toEqual(modelShape('jwt'));
    const logs = await eventually(async () => {
      const l = await user.account.listLogs();
      return l.total > 0 ? l : undefined;
    }, 'account logs');
    expect(Object.keys(logs).sort()).toEqual(['logs', 'total']);
    expect(keysOf('log', logs.logs[0])).toEqual(modelShape('log'));
    expect(keysOf('session', await user.account.createAnonymousSession().catch((e: { type: string }) => ({ type: e.type })))).toEqual({ model: 'session', keys: ['type'] });
  });

  it('users routes answer the full User model, sessions and logs', async () => {
    const created = await users.create(server.ID.unique(), `models-${Date.now()}@example.test`, undefined, 'password1234', 'Full');
    expect(keysOf('user', created)).toEqual(modelShape('user'));
    expect(keysOf('user', await users.get(created.$id))).toEqual(modelShape('user'));
    const list = await users.list([server.Query.limit(1)]);
    expect(Object.keys(list).sort()).toEqual(['total', 'users']);
    expect(keysOf('user', list.users[0])).toEqual(modelShape('user'));
  });

  it('teams routes answer Team and Membership models', async () => {
    const owner = await signedInUser(consoleSession.projectId, 'modelteam');
    const team = await owner.teams.create(web.ID.unique(), 'Model team');
    expect(keysOf('team', team)).toEqual(modelShape('team'));
    const memberships = await owner.teams.listMemberships(team.$id);
    expect(Object.keys(memberships).sort()).toEqual(['memberships', 'total']);
    expect(keysOf('membership', memberships.memberships[0])).toEqual(modelShape('membership'));
    const invite = await owner.teams.createMembership(team.$id, ['member'], 'http://localhost/join', `invitee-${Date.now()}@example.test`);
    expect(keysOf('membership', invite)).toEqual(modelShape('membership'));
  });

  it('projects routes answer Project, Key, Platform and Webhook models', async () => {
    const base = `/projects/${consoleSession.projectId}`;
    const project = await consoleSession.call<Json>('GET', base);
    expect(keysOf('project', project.body)).toEqual(modelShape('project'));
    const keys = await consoleSession.call<{ keys: Json[] }>('GET', `${base}/keys`);
    expect(keysOf('key', keys.body.keys[0])).toEqual(modelShape('key'));
    const platforms = await consoleSession.call<{ platforms: Json[] }>('GET', `${base}/platforms`);
    expect(keysOf('platform', platforms.body.platforms[0])).toEqual(modelShape('platform'));
    const hook = await consoleSession.call<Json>('POST', `${base}/webhooks`, { name: 'Model', events: ['users.*.create'], url: 'http://127.0.0.1:9/hook', security: false });
    expect(keysOf('webhook', hook.body)).toEqual(modelShape('webhook'));
  });

  // Gap found by this suite: 1.3 stamps Key.accessedAt (at most once a day) and adds the calling
  // server SDK's X-SDK-Name to Key.sdks when a key authenticates; KeyRepository.touch() exists but
  // the identity resolver never calls it, so both stay empty. Flip to `it` once implemented.
  it('records when a key was last used and by which SDK (Key.accessedAt, Key.sdks)', async () => {
    const created = await consoleSession.call<{ $id: string; secret: string; accessedAt: string; sdks: string[] }>('POST', `/projects/${consoleSession.projectId}/keys`, { name: 'tracked', scopes: ['users.read'] });
    expect(created.body).toMatchObject({ accessedAt: '', sdks: [] });
    await new server.Users(keyClient(consoleSession.projectId, created.body.secret)).list();
    const key = await eventually(async () => {
      const res = await consoleSession.call<{ accessedAt: string; sdks: string[] }>('GET', `/projects/${consoleSession.projectId}/keys/${created.body.$id}`);
      return res.body.accessedAt ? res.body : undefined;
    }, 'the key to be marked as accessed', 5000);
    expect(key.accessedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    expect(key.sdks).toEqual(['Node.js']);
  });
});
