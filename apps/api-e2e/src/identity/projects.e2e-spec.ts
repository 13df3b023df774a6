import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import * as server from 'node-appwrite';

import { bootstrapConsole, ConsoleSession, testIp } from '../../support/console';
import { eventually, failure, keyClient, raw, signedInUser, uniqueEmail, web, webClient } from '../../support/identity-clients';

type Json = Record<string, unknown>;

/** A console call that must answer `status`; returns the body. */
async function consoleOk<T = Json>(session: ConsoleSession, status: number, method: string, path: string, body?: unknown): Promise<T> {
  const res = await session.call<T>(method, path, body);
  if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status} (wanted ${status}): ${JSON.stringify(res.body)}`);
  return res.body;
}

describe('identity: Projects through the console (appconda all)', () => {
  let consoleSession: ConsoleSession;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('projects');
  });

  it('updates the project and lists it for its organization only', async () => {
    const updated = await consoleOk<Json>(consoleSession, 200, 'PATCH', `/projects/${consoleSession.projectId}`, { name: 'Renamed project', description: 'e2e', url: 'https://example.test' });
    expect(updated).toMatchObject({ $id: consoleSession.projectId, name: 'Renamed project', description: 'e2e', url: 'https://example.test' });
    const list = await consoleOk<{ total: number; projects: Json[] }>(consoleSession, 200, 'GET', '/projects');
    expect(list.projects.map((p) => p.$id)).toEqual([consoleSession.projectId]);
    // Project routes are console-only: a project key cannot call them.
    const res = await raw('GET', `/projects/${consoleSession.projectId}`, { 'x-appwrite-project': consoleSession.projectId, 'x-appwrite-key': consoleSession.key });
    expect(res.status).toBe(401);
  });

  describe('auth settings', () => {
    let s: ConsoleSession;

    beforeAll(async () => {
      s = await bootstrapConsole('auth-settings');
    });

    it('refuses sign-up and sign-in while email/password is disabled (501 user_auth_method_unsupported)', async () => {
      const user = await signedInUser(s.projectId, 'before');
      const project = await consoleOk<{ authEmailPassword: boolean }>(s, 200, 'PATCH', `/projects/${s.projectId}/auth/email-password`, { status: false });
      expect(project.authEmailPassword).toBe(false);
      expect(await failure(webClient(s.projectId).account.create(web.ID.unique(), uniqueEmail('off'), 'password1234'))).toEqual({ code: 501, type: 'user_auth_method_unsupported' });
      expect(await failure(webClient(s.projectId).account.createEmailSession(user.email, user.password))).toEqual({ code: 501, type: 'user_auth_method_unsupported' });
      // API keys are not bound by the project's auth methods.
      expect(await new server.Users(keyClient(s.projectId, s.key)).create(server.ID.unique(), uniqueEmail('bykey'), undefined, 'password1234')).toMatchObject({ status: true });
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/email-password`, { status: true });
      expect(await webClient(s.projectId).account.createEmailSession(user.email, user.password)).toMatchObject({ userId: user.userId });
    });

    it('refuses anonymous sessions and JWTs when those methods are disabled', async () => {
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/anonymous`, { status: false });
      expect(await failure(webClient(s.projectId).account.createAnonymousSession())).toEqual({ code: 501, type: 'user_auth_method_unsupported' });
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/anonymous`, { status: true });
      expect(await webClient(s.projectId).account.createAnonymousSession()).toMatchObject({ provider: 'anonymous' });

      const user = await signedInUser(s.projectId, 'jwt-off');
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/jwt`, { status: false });
      expect(await failure(user.account.createJWT())).toEqual({ code: 501, type: 'user_auth_method_unsupported' });
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/jwt`, { status: true });
      expect(await user.account.createJWT()).toMatchObject({ jwt: expect.any(String) });
    });

    it('keeps at most max-sessions sessions per user, dropping the oldest', async () => {
      const project = await consoleOk<{ authSessionsLimit: number }>(s, 200, 'PATCH', `/projects/${s.projectId}/auth/max-sessions`, { limit: 2 });
      expect(project.authSessionsLimit).toBe(2);
      const first = await signedInUser(s.projectId, 'limited');
      const second = webClient(s.projectId);
      await second.account.createEmailSession(first.email, first.password);
      const third = webClient(s.projectId);
      await third.account.createEmailSession(first.email, first.password);
      expect((await third.account.listSessions()).total).toBe(2);
      expect(await failure(first.account.get())).toMatchObject({ code: 401 });
      expect(await second.account.get()).toMatchObject({ $id: first.userId });
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/auth/max-sessions`, { limit: 10 });
    });

    it('caps the number of users with auth/limit (501 user_count_exceeded)', async () => {
      const fresh = await bootstrapConsole('user-limit');
      await consoleOk(fresh, 200, 'PATCH', `/projects/${fresh.projectId}/auth/limit`, { limit: 1 });
      await webClient(fresh.projectId).account.create(web.ID.unique(), uniqueEmail('one'), 'password1234');
      expect(await failure(webClient(fresh.projectId).account.create(web.ID.unique(), uniqueEmail('two'), 'password1234'))).toEqual({ code: 501, type: 'user_count_exceeded' });
      await consoleOk(fresh, 200, 'PATCH', `/projects/${fresh.projectId}/auth/limit`, { limit: 0 });
      expect(await webClient(fresh.projectId).account.create(web.ID.unique(), uniqueEmail('three'), 'password1234')).toMatchObject({ status: true });
    });
  });

  describe('keys', () => {
    it('creates, lists, reads, updates and deletes keys; a deleted or expired key stops working', async () => {
      const base = `/projects/${consoleSession.projectId}/keys`;
      const key = await consoleOk<{ $id: string; secret: string; scopes: string[]; expire: string }>(consoleSession, 201, 'POST', base, { name: 'crud', scopes: ['users.read', 'users.write'] });
      expect(key).toMatchObject({ name: 'crud', scopes: ['users.read', 'users.write'], expire: null });
      expect(key.secret).toMatch(/^[0-9a-f]{256}$/);
      const users = new server.Users(keyClient(consoleSession.projectId, key.secret));
      expect(await users.list()).toMatchObject({ total: expect.any(Number) });

      const list = await consoleOk<{ total: number; keys: Json[] }>(consoleSession, 200, 'GET', base);
      expect(list.total).toBeGreaterThanOrEqual(2);
      expect(list.keys.map((k) => k.$id)).toContain(key.$id);
      expect(await consoleOk(consoleSession, 200, 'GET', `${base}/${key.$id}`)).toMatchObject({ $id: key.$id, name: 'crud' });

      expect(await consoleOk(consoleSession, 200, 'PUT', `${base}/${key.$id}`, { name: 'crud read', scopes: ['users.read'] })).toMatchObject({ name: 'crud read', scopes: ['users.read'] });
      expect(await failure(users.create(server.ID.unique(), uniqueEmail('k'), undefined, 'password1234'))).toEqual({ code: 401, type: 'general_unauthorized_scope' });

      const past = new Date(Date.now() - 60_000).toISOString();
      await consoleOk(consoleSession, 200, 'PUT', `${base}/${key.$id}`, { name: 'expired', scopes: ['users.read'], expire: past });
      expect(await failure(users.list())).toEqual({ code: 401, type: 'project_key_expired' });

      await consoleOk(consoleSession, 204, 'DELETE', `${base}/${key.$id}`);
      expect(await failure(users.list())).toEqual({ code: 401, type: 'general_unauthorized_scope' });
      expect((await consoleOk<{ status?: number; type?: string }>(consoleSession, 404, 'GET', `${base}/${key.$id}`)).type).toBe('key_not_found');
      expect((await consoleOk<Json>(consoleSession, 400, 'POST', base, { name: 'bad', scopes: ['not.a.scope'] })).type).toBe('general_argument_invalid');
    });

    it('does not let another organization read or change this project\'s keys', async () => {
      const stranger = await bootstrapConsole('keys-stranger');
      expect((await stranger.call('GET', `/projects/${consoleSession.projectId}/keys`)).status).toBe(404);
      expect((await stranger.call('POST', `/projects/${consoleSession.projectId}/keys`, { name: 'steal', scopes: ['users.read'] })).status).toBe(404);
    });
  });

  describe('platforms and CORS', () => {
    it('echoes a registered web origin, refuses writes from unknown origins, and follows platform changes', async () => {
      const base = `/projects/${consoleSession.projectId}/platforms`;
      const platform = await consoleOk<{ $id: string }>(consoleSession, 201, 'POST', base, { type: 'web', name: 'App', hostname: 'app.example.test' });
      expect(await consoleOk(consoleSession, 200, 'GET', `${base}/${platform.$id}`)).toMatchObject({ type: 'web', name: 'App', hostname: 'app.example.test' });
      expect((await consoleOk<{ total: number }>(consoleSession, 200, 'GET', base)).total).toBe(2);

      const origin = 'https://app.example.test';
      const headers = { 'x-appwrite-project': consoleSession.projectId, origin, 'x-forwarded-for': testIp() };
      const preflight = await raw('OPTIONS', '/account', { ...headers, 'access-control-request-method': 'POST' });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      const get = await raw('GET', '/account', headers);
      expect(get.status).toBe(401);
      expect(get.headers.get('access-control-allow-origin')).toBe(origin);
      const signup = await raw('POST', '/account', headers, { userId: 'unique()', email: uniqueEmail('cors'), password: 'password1234' });
      expect(signup.status).toBe(201);
      expect(signup.headers.get('access-control-allow-origin')).toBe(origin);
      expect(signup.headers.get('access-control-expose-headers')).toMatch(/X-Fallback-Cookies/i);

      const evil = { ...headers, origin: 'https://evil.example.test' };
      const refused = await raw('POST', '/account', evil, { userId: 'unique()', email: uniqueEmail('evil'), password: 'password1234' });
      expect([refused.status, refused.body.type]).toEqual([403, 'general_unknown_origin']);
      expect((await raw('GET', '/account', evil)).headers.get('access-control-allow-origin')).not.toBe('https://evil.example.test');
      // A key-authenticated call does not need a known origin.
      expect((await raw('GET', '/users', { ...evil, 'x-appwrite-key': consoleSession.key })).status).toBe(200);

      await consoleOk(consoleSession, 200, 'PUT', `${base}/${platform.$id}`, { name: 'App', hostname: 'evil.example.test' });
      expect((await raw('POST', '/account', evil, { userId: 'unique()', email: uniqueEmail('evil2'), password: 'password1234' })).status).toBe(201);
      await consoleOk(consoleSession, 204, 'DELETE', `${base}/${platform.$id}`);
      expect((await raw('POST', '/account', evil, { userId: 'unique()', email: uniqueEmail('evil3'), password: 'password1234' })).status).toBe(403);
    });
  });

  describe('webhooks', () => {
    let receiver: Server;
    const received: Array<{ headers: IncomingHttpHeaders; body: Json }> = [];

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let data = '';
        req.on('data', (chunk) => (data += chunk));
        req.on('end', () => {
          received.push({ headers: req.headers, body: data ? (JSON.parse(data) as Json) : {} });
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });

    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it('creates, lists, reads, updates, re-signs and deletes webhooks', async () => {
      const base = `/projects/${consoleSession.projectId}/webhooks`;
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const hook = await consoleOk<{ $id: string; signatureKey: string }>(consoleSession, 201, 'POST', base, { name: 'Users', events: ['users.*.create'], url, security: false });
      expect(hook).toMatchObject({ name: 'Users', events: ['users.*.create'], url, security: false, httpUser: '', httpPass: '' });
      expect(hook.signatureKey).toMatch(/^[0-9a-f]{128}$/);
      expect((await consoleOk<{ total: number }>(consoleSession, 200, 'GET', base)).total).toBe(1);
      expect(await consoleOk(consoleSession, 200, 'GET', `${base}/${hook.$id}`)).toMatchObject({ $id: hook.$id });
      expect(await consoleOk(consoleSession, 200, 'PUT', `${base}/${hook.$id}`, { name: 'Users v2', events: ['users.*.create', 'users.*.delete'], url, security: false })).toMatchObject({ name: 'Users v2', events: ['users.*.create', 'users.*.delete'] });
      const resigned = await consoleOk<{ signatureKey: string }>(consoleSession, 200, 'PATCH', `${base}/${hook.$id}/signature`);
      expect(resigned.signatureKey).not.toBe(hook.signatureKey);
      expect((await consoleOk<Json>(consoleSession, 400, 'POST', base, { name: 'Bad', events: ['no.such.event'], url, security: false })).type).toBe('general_argument_invalid');

      await consoleOk(consoleSession, 204, 'DELETE', `${base}/${hook.$id}`);
      expect((await consoleOk<Json>(consoleSession, 404, 'GET', `${base}/${hook.$id}`)).type).toBe('webhook_not_found');
    });

    it('delivers a matching event to the webhook URL (worker-webhooks)', async () => {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/deliver`;
      await consoleOk(consoleSession, 201, 'POST', `/projects/${consoleSession.projectId}/webhooks`, { name: 'Deliver', events: ['users.*.create'], url, security: false });
      const user = await new server.Users(keyClient(consoleSession.projectId, consoleSession.key)).create(server.ID.unique(), uniqueEmail('hooked'), undefined, 'password1234');
      const delivery = await eventually(async () => received.find((r) => r.body.$id === user.$id), 'a webhook delivery', 5000);
      expect(delivery.headers['x-appwrite-webhook-events']).toContain(`users.${user.$id}.create`);
      expect(delivery.headers['x-appwrite-webhook-project-id']).toBe(consoleSession.projectId);
    });
  });

  describe('service toggles', () => {
    it('answers 503 general_service_disabled to users of a disabled service, not to keys', async () => {
      const s = await bootstrapConsole('services');
      const user = await signedInUser(s.projectId, 'svc');
      const team = await user.teams.create(web.ID.unique(), 'Before');
      const project = await consoleOk<{ serviceStatusForTeams: boolean }>(s, 200, 'PATCH', `/projects/${s.projectId}/service`, { service: 'teams', status: false });
      expect(project.serviceStatusForTeams).toBe(false);
      expect(await failure(user.teams.list())).toEqual({ code: 503, type: 'general_service_disabled' });
      expect(await failure(user.teams.get(team.$id))).toEqual({ code: 503, type: 'general_service_disabled' });
      expect(await new server.Teams(keyClient(s.projectId, s.key)).get(team.$id)).toMatchObject({ $id: team.$id });
      // Other services keep working.
      expect(await user.account.get()).toMatchObject({ $id: user.userId });
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/service`, { service: 'teams', status: true });
      expect((await user.teams.list()).total).toBe(1);

      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/service`, { service: 'account', status: false });
      expect(await failure(user.account.get())).toEqual({ code: 503, type: 'general_service_disabled' });
      await consoleOk(s, 200, 'PATCH', `/projects/${s.projectId}/service`, { service: 'account', status: true });
    });
  });

  describe('console admin mode (usage, team logs, domains, variables)', () => {
    /** What the console SDK sends for a project's data: the project id, admin mode, the console session. */
    const admin = (session: ConsoleSession, method: string, path: string, projectId = session.projectId) =>
      raw(method, path, { 'x-appwrite-project': projectId, 'x-appwrite-mode': 'admin', cookie: session.cookie });

    it('reads users usage and a team\'s logs as a console member, not as a stranger', async () => {
      const usage = await admin(consoleSession, 'GET', '/users/usage?range=24h');
      expect(usage.status).toBe(200);
      expect(Object.keys(usage.body).sort()).toEqual(['range', 'sessionsCreate', 'sessionsDelete', 'sessionsProviderCreate', 'usersCount', 'usersCreate', 'usersDelete', 'usersRead', 'usersUpdate']);
      expect(usage.body.range).toBe('24h');

      const owner = await signedInUser(consoleSession.projectId, 'logsowner');
      const team = await owner.teams.create(web.ID.unique(), 'Logged team');
      await owner.teams.updateName(team.$id, 'Logged team 2');
      const logs = await eventually(async () => {
        const res = await admin(consoleSession, 'GET', `/teams/${team.$id}/logs`);
        return res.status === 200 && (res.body.total as number) >= 2 ? res.body : undefined;
      }, 'team logs');
      expect((logs.logs as Json[]).map((l) => l.event).sort()).toEqual(['team.create', 'team.update']);

      const stranger = await bootstrapConsole('admin-stranger');
      for (const path of ['/users/usage', `/teams/${team.$id}/logs`]) {
        const res = await admin(stranger, 'GET', path, consoleSession.projectId);
        // A stranger's console session is ignored on the project (1.3): a guest, without the route's scope.
        expect([path, res.status, res.body.type]).toEqual([path, 401, 'general_unauthorized_scope']);
      }
      // Team logs are console-only: the project's own user session cannot read them.
      expect((await raw('GET', `/teams/${team.$id}/logs`, { 'x-appwrite-project': consoleSession.projectId, 'x-fallback-cookies': owner.store.get('cookieFallback')! })).status).toBe(401);
    });

    it('reads project usage and the console variables', async () => {
      const usage = await consoleOk<Json>(consoleSession, 200, 'GET', `/projects/${consoleSession.projectId}/usage?range=30d`);
      expect(Object.keys(usage).sort()).toEqual(['buckets', 'databases', 'documents', 'executions', 'network', 'range', 'requests', 'storage', 'users']);
      const variables = await consoleOk<Json>(consoleSession, 200, 'GET', '/console/variables');
      expect(Object.keys(variables).sort()).toEqual(['_APP_DOMAIN_TARGET', '_APP_FUNCTIONS_SIZE_LIMIT', '_APP_STORAGE_LIMIT', '_APP_USAGE_STATS']);
    });

    // The run has no _APP_DOMAIN_TARGET (localhost): like 1.3, custom domains are refused then.
    it('refuses custom domains while the CNAME target is localhost (501 domain_target_invalid)', async () => {
      const base = `/projects/${consoleSession.projectId}/domains`;
      const res = await consoleSession.call<Json>('POST', base, { domain: 'api.e2e-example.com' });
      expect([res.status, res.body.type]).toEqual([501, 'domain_target_invalid']);
      expect(await consoleOk(consoleSession, 200, 'GET', base)).toEqual({ total: 0, domains: [] });
      expect((await consoleSession.call<Json>('GET', `${base}/no-such-domain`)).body.type).toBe('domain_not_found');
      expect((await consoleSession.call<Json>('POST', base, { domain: 'not a domain' })).status).toBe(400);
    });
  });

  it('deletes a project: its key stops working', async () => {
    const doomed = await bootstrapConsole('doomed');
    const users = new server.Users(keyClient(doomed.projectId, doomed.key));
    await users.create(server.ID.unique(), uniqueEmail('doomed'), undefined, 'password1234');
    // 1.3 asks for the console user's password to delete a project.
    expect((await doomed.call('DELETE', `/projects/${doomed.projectId}`, { password: 'wrong-password' })).status).toBe(401);
    await consoleOk(doomed, 204, 'DELETE', `/projects/${doomed.projectId}`, { password: doomed.password });
    expect(await failure(users.list())).toMatchObject({ code: 404, type: 'project_not_found' });
  });
});
