import * as server from 'node-appwrite';

import { bootstrapConsole, ConsoleSession, endpoint } from '../../support/console';
import { countRows } from '../../support/identity-db';
import { eventually, failure, keyClient, raw, signedInUser, uniqueEmail, web, webClient } from '../../support/identity-clients';
import { closeMailJobs, linkParams, waitForMailJob } from '../../support/identity-mail';

type Json = Record<string, unknown>;

async function consoleOk<T = Json>(session: ConsoleSession, status: number, method: string, path: string, body?: unknown): Promise<T> {
  const res = await session.call<T>(method, path, body);
  if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status} (wanted ${status}): ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Cross-cutting identity rules an app runs into: project isolation, password rules, lifetimes, cleanup. */
describe('identity: edge cases (appconda all)', () => {
  let a: ConsoleSession;
  let b: ConsoleSession;

  beforeAll(async () => {
    [a, b] = await Promise.all([bootstrapConsole('edges-a'), bootstrapConsole('edges-b')]);
  });

  afterAll(() => closeMailJobs());

  it('keeps sessions and JWTs inside their project', async () => {
    const user = await signedInUser(a.projectId, 'isolated');
    const fallback = user.store.get('cookieFallback')!;
    const other = await raw('GET', '/account', { 'x-appwrite-project': b.projectId, 'x-fallback-cookies': fallback });
    expect([other.status, other.body.type]).toEqual([401, 'general_unauthorized_scope']);
    const { jwt } = await user.account.createJWT();
    const foreign = new server.Client().setEndpoint(endpoint()).setProject(b.projectId).setJWT(jwt);
    // 1.3 decodes the JWT, finds no such user/session in project B and goes on as a guest.
    expect(await failure(new server.Account(foreign).get())).toEqual({ code: 401, type: 'general_unauthorized_scope' });
    expect(await failure(new server.Account(new server.Client().setEndpoint(endpoint()).setProject(a.projectId).setJWT(`${jwt}x`)).get())).toEqual({ code: 401, type: 'user_jwt_invalid' });
  });

  it('sets the session cookie and its legacy twin; each signs the user in on its own; logout clears them', async () => {
    const c = webClient(a.projectId);
    const email = uniqueEmail('cookies');
    await c.account.create(web.ID.unique(), email, 'password1234');
    const login = await raw('POST', '/account/sessions/email', { 'x-appwrite-project': a.projectId, 'x-forwarded-for': c.ip }, { email, password: 'password1234' });
    expect(login.status).toBe(201);
    const cookies = login.headers.getSetCookie();
    const modern = cookies.find((v) => v.startsWith(`a_session_${a.projectId}=`))!;
    const legacy = cookies.find((v) => v.startsWith(`a_session_${a.projectId}_legacy=`))!;
    expect(modern).toMatch(/HttpOnly/i);
    expect(modern).toMatch(/SameSite=None/i);
    expect(legacy).toMatch(/HttpOnly/i);
    expect(JSON.parse(login.headers.get('x-fallback-cookies')!)).toEqual({ [`a_session_${a.projectId}`]: modern.split(';')[0].split('=')[1] });
    for (const cookie of [modern, legacy]) {
      const me = await raw('GET', '/account', { 'x-appwrite-project': a.projectId, cookie: cookie.split(';')[0] });
      expect([me.status, me.body.email]).toEqual([200, email]);
    }
    const logout = await raw('DELETE', '/account/sessions/current', { 'x-appwrite-project': a.projectId, cookie: modern.split(';')[0] });
    expect(logout.status).toBe(204);
    const cleared = logout.headers.getSetCookie();
    expect(cleared.some((v) => v.startsWith(`a_session_${a.projectId}=`))).toBe(true);
    expect(logout.headers.get('x-fallback-cookies')).toBe('[]');
    expect((await raw('GET', '/account', { 'x-appwrite-project': a.projectId, cookie: modern.split(';')[0] })).status).toBe(401);
  });

  it('refuses project users and API keys on the console-only projects API', async () => {
    const user = await signedInUser(a.projectId, 'notconsole');
    const asUser = await raw('GET', `/projects/${a.projectId}`, { 'x-appwrite-project': a.projectId, 'x-fallback-cookies': user.store.get('cookieFallback')! });
    expect(asUser.status).toBe(401);
    const asGuest = await raw('GET', '/projects', { 'x-appwrite-project': 'console' });
    expect([asGuest.status, asGuest.body.type]).toEqual([401, 'general_unauthorized_scope']);
  });

  it('echoes a localhost origin with its port (the bootstrap registered localhost)', async () => {
    const res = await raw('GET', '/account', { 'x-appwrite-project': a.projectId, origin: 'http://localhost:3000' });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const signup = await raw('POST', '/account', { 'x-appwrite-project': a.projectId, origin: 'http://localhost:3000', 'x-forwarded-for': webClient(a.projectId).ip }, { userId: 'unique()', email: uniqueEmail('local'), password: 'password1234' });
    expect(signup.status).toBe(201);
  });

  it('starts OAuth2 only for an enabled provider and registered redirect hosts', async () => {
    const ip = webClient(a.projectId).ip;
    const start = (provider: string, success = 'http://localhost/ok') =>
      fetch(`${endpoint()}/account/sessions/oauth2/${provider}?project=${a.projectId}&success=${encodeURIComponent(success)}&failure=${encodeURIComponent('http://localhost/fail')}`, { redirect: 'manual', headers: { 'x-forwarded-for': ip } });
    const disabled = await start('github');
    expect([disabled.status, ((await disabled.json()) as Json).type]).toEqual([412, 'project_provider_disabled']);
    await consoleOk(a, 200, 'PATCH', `/projects/${a.projectId}/oauth2`, { provider: 'github', appId: 'e2e-client-id', secret: 'e2e-secret', enabled: true });
    const redirect = await start('github');
    expect(redirect.status).toBe(301);
    const location = new URL(redirect.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://github.com/login/oauth/authorize');
    expect(location.searchParams.get('client_id')).toBe('e2e-client-id');
    expect(location.searchParams.get('redirect_uri')).toBe(`${endpoint()}/account/sessions/oauth2/callback/github/${a.projectId}`);
    // The state is opaque to apps (the provider hands it back to the callback).
    expect(location.searchParams.get('state')).toBeTruthy();
    const evil = await start('github', 'https://evil.example.test/ok');
    // 1.3 validates `success` with a Host validator on this route (400); see the suite's report for the type.
    expect(evil.status).toBe(400);
    const unknown = await start('no-such-provider');
    expect(unknown.status).toBe(400);
  });

  it('refuses a phone number another user has (409)', async () => {
    const first = await signedInUser(a.projectId, 'phone1');
    const second = await signedInUser(a.projectId, 'phone2');
    await first.account.updatePhone('+15550006666', first.password);
    expect(await failure(second.account.updatePhone('+15550006666', second.password))).toEqual({ code: 409, type: 'user_phone_already_exists' });
    const users = new server.Users(keyClient(a.projectId, a.key));
    expect(await failure(users.updatePhone(second.userId, '+15550006666'))).toEqual({ code: 409, type: 'user_phone_already_exists' });
  });

  it('lets exactly one of several concurrent sign-ups with one email win (the rest 409, no 500)', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => webClient(a.projectId).account.create(web.ID.unique(), email, 'password1234')));
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? 201 : `${(r.reason as { code: number }).code} ${(r.reason as { type: string }).type}`));
    expect(outcomes.filter((o) => o === 201)).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 201)).toEqual(Array(5).fill('409 user_already_exists'));
    const users = new server.Users(keyClient(a.projectId, a.key));
    expect((await users.list([server.Query.equal('email', email)])).total).toBe(1);
  });

  it('lets exactly one of several concurrent invitations of one email win', async () => {
    const owner = await signedInUser(a.projectId, 'raceowner');
    const team = await owner.teams.create(web.ID.unique(), 'Race');
    const email = uniqueEmail('raceinvite');
    const teams = new server.Teams(keyClient(a.projectId, a.key));
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => teams.createMembership(team.$id, ['member'], 'http://localhost/join', email)));
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? 201 : `${(r.reason as { code: number }).code} ${(r.reason as { type: string }).type}`));
    expect(outcomes.filter((o) => o === 201)).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 201).every((o) => typeof o === 'string' && o.startsWith('409'))).toBe(true);
    // The owner's membership and one for the invitee.
    expect((await teams.listMemberships(team.$id)).total).toBe(2);
    expect((await teams.get(team.$id)).total).toBe(2);
    const users = new server.Users(keyClient(a.projectId, a.key));
    expect((await users.list([server.Query.equal('email', email)])).total).toBe(1);
  });

  it('counts a doubly-submitted invitation acceptance once', async () => {
    const owner = await signedInUser(a.projectId, 'dblowner');
    const team = await owner.teams.create(web.ID.unique(), 'Double');
    const email = uniqueEmail('dblaccept');
    const invite = await owner.teams.createMembership(team.$id, ['member'], 'http://localhost/join', email);
    const secret = linkParams(await waitForMailJob(email, 'invitation')).get('secret')!;
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => webClient(a.projectId).teams.updateMembershipStatus(team.$id, invite.$id, invite.userId, secret)));
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? 200 : `${(r.reason as { code: number }).code} ${(r.reason as { type: string }).type}`));
    expect(outcomes.filter((o) => o === 200)).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 200)).toEqual(Array(3).fill('409 membership_already_confirmed'));
    expect((await owner.teams.get(team.$id)).total).toBe(2);
  });

  it('refuses oversized prefs and names (400)', async () => {
    const user = await signedInUser(a.projectId, 'big');
    expect(await failure(user.account.updatePrefs({ blob: 'x'.repeat(70000) }))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(user.account.updateName('n'.repeat(129)))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await user.account.updateName('Ünïcødé 名前 🚀')).toMatchObject({ name: 'Ünïcødé 名前 🚀' });
    expect((await user.account.get()).name).toBe('Ünïcødé 名前 🚀');
  });

  it('refuses a blocked user\'s JWT (401 user_blocked)', async () => {
    const user = await signedInUser(a.projectId, 'jwtblocked');
    const { jwt } = await user.account.createJWT();
    await new server.Users(keyClient(a.projectId, a.key)).updateStatus(user.userId, false);
    const client = new server.Client().setEndpoint(endpoint()).setProject(a.projectId).setJWT(jwt);
    expect(await failure(new server.Account(client).get())).toEqual({ code: 401, type: 'user_blocked' });
  });

  it('stores emails lowercased and signs in case-insensitively', async () => {
    const c = webClient(a.projectId);
    const email = uniqueEmail('MixedCase').replace('mixedcase', 'MixedCase');
    const created = await c.account.create(web.ID.unique(), email, 'password1234');
    expect(created.email).toBe(email.toLowerCase());
    expect(await webClient(a.projectId).account.createEmailSession(email.toUpperCase(), 'password1234')).toMatchObject({ userId: created.$id });
  });

  it('refuses an anonymous session while signed in, and a password session for a password-less user', async () => {
    const user = await signedInUser(a.projectId, 'already');
    expect(await failure(user.account.createAnonymousSession())).toEqual({ code: 401, type: 'user_session_already_exists' });
    const c = webClient(a.projectId);
    const email = uniqueEmail('magiconly');
    await c.account.createMagicURLSession(web.ID.unique(), email, 'http://localhost/magic');
    expect(await failure(webClient(a.projectId).account.createEmailSession(email, 'any-password-1'))).toEqual({ code: 401, type: 'user_invalid_credentials' });
  });

  it('validates input with 400 general_argument_invalid', async () => {
    const users = new server.Users(keyClient(a.projectId, a.key));
    expect(await failure(users.create(server.ID.unique(), 'not-an-email', undefined, 'password1234'))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(users.create(server.ID.unique(), uniqueEmail('short'), undefined, 'short'))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(users.create('bad id!', uniqueEmail('badid'), undefined, 'password1234'))).toEqual({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(webClient(a.projectId).account.create(web.ID.unique(), uniqueEmail('x'), 'short'))).toEqual({ code: 400, type: 'general_argument_invalid' });
    const missing = await raw('POST', '/account/sessions/email', { 'x-appwrite-project': a.projectId }, { email: uniqueEmail('nopw') });
    expect([missing.status, missing.body.type]).toEqual([400, 'general_argument_invalid']);
    expect(missing.body.message).toBe('Param "password" is not optional.');
  });

  it('answers 404 project_not_found for an unknown project', async () => {
    const res = await raw('GET', '/account', { 'x-appwrite-project': 'no-such-project' });
    expect([res.status, res.body.type]).toEqual([404, 'project_not_found']);
  });

  describe('project auth rules', () => {
    let s: ConsoleSession;

    beforeAll(async () => {
      s = await bootstrapConsole('edges-rules');
    });

    it('applies the session duration to new sessions', async () => {
      const project = await consoleOk<{ authDuration: number }>(s, 200, 'PATCH', `/projects/${s.projectId}/auth/duration`, { duration: 120 });
      expect(project.authDuration).toBe(120);
      const user = await signedInUser(s.projectId, 'short');
      const session = await user.account.getSession('current');
      const lifetime = (Date.parse(session.expire) - Date.parse(session.$createdAt)) / 1000;
      expect(lifetime).toBeCloseTo(120, -1);
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/duration`, { duration: 31536000 });
    });

    it('refuses a recently used password when password history is on (409 password_recently_used)', async () => {
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/password-history`, { limit: 3 });
      const user = await signedInUser(s.projectId, 'history');
      await user.account.updatePassword('second-password', user.password);
      expect(await failure(user.account.updatePassword(user.password, 'second-password'))).toEqual({ code: 409, type: 'password_recently_used' });
      const users = new server.Users(keyClient(s.projectId, s.key));
      expect(await failure(users.updatePassword(user.userId, 'second-password'))).toEqual({ code: 409, type: 'password_recently_used' });
      expect(await users.updatePassword(user.userId, 'third-password')).toMatchObject({ $id: user.userId });
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/password-history`, { limit: 0 });
    });

    // Gap found by this suite: PATCH auth/password-dictionary stores the flag (authPasswordDictionary)
    // but no password rule reads it; 1.3 then refuses the 10k most common passwords on sign-up,
    // password updates and recovery. Needs a common-passwords list from npm. Flip to `it` once done.
    it('refuses dictionary passwords when the password dictionary is on', async () => {
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/password-dictionary`, { enabled: true });
      expect(await failure(webClient(s.projectId).account.create(web.ID.unique(), uniqueEmail('dict'), 'password'))).toEqual({ code: 400, type: 'general_argument_invalid' });
      expect(await webClient(s.projectId).account.create(web.ID.unique(), uniqueEmail('dict'), 'x7-unusual-Phrase')).toMatchObject({ status: true });
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/password-dictionary`, { enabled: false });
    });
  });

  it('removes a deleted team\'s memberships (worker-deletes)', async () => {
    const owner = await signedInUser(a.projectId, 'teamdel');
    const member = await signedInUser(a.projectId, 'teamdelmember');
    const team = await owner.teams.create(web.ID.unique(), 'Short lived');
    const invite = await owner.teams.createMembership(team.$id, ['member'], 'http://localhost/join', member.email);
    const secret = linkParams(await waitForMailJob(member.email, 'invitation')).get('secret')!;
    await member.teams.updateMembershipStatus(team.$id, invite.$id, member.userId, secret);
    expect(await countRows('memberships', a.projectId, 'teamId', team.$id)).toBe(2);
    await owner.teams.delete(team.$id);
    await eventually(async () => (await countRows('memberships', a.projectId, 'teamId', team.$id)) === 0, 'the team memberships to be removed');
    expect((await member.teams.list()).total).toBe(0);
  });

  it('refuses phone auth without an SMS provider (503 general_phone_disabled)', async () => {
    const user = await signedInUser(a.projectId, 'phone');
    await user.account.updatePhone('+15550004444', user.password);
    expect(await failure(user.account.createPhoneVerification())).toEqual({ code: 503, type: 'general_phone_disabled' });
    expect(await failure(webClient(a.projectId).account.createPhoneSession(web.ID.unique(), '+15550005555'))).toEqual({ code: 503, type: 'general_phone_disabled' });
  });

  it('removes a deleted project\'s users and sessions (worker-deletes)', async () => {
    const doomed = await bootstrapConsole('edges-doomed');
    const user = await signedInUser(doomed.projectId, 'gone');
    expect(await countRows('sessions', doomed.projectId, 'userId', user.userId)).toBe(1);
    await consoleOk(doomed, 204, 'DELETE', `/projects/${doomed.projectId}`, { password: doomed.password });
    await eventually(async () => (await countRows('sessions', doomed.projectId, 'userId', user.userId)) === 0, 'the deleted project\'s sessions to be removed');
    expect(await failure(user.account.get())).toMatchObject({ code: 404, type: 'project_not_found' });
  });
});
