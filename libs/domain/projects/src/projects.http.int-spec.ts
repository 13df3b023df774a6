import { getQueueToken } from '@nestjs/bull';
import { Controller, Get, Module } from '@nestjs/common';
import { Queue } from 'bull';
import * as sdk from 'node-appwrite';
import { randomBytes } from 'node:crypto';
import { encodeSession, fallbackCookiesValue, hashPassword, hashSecret } from '@appconda/auth';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { AuthType, createHttpApp, Ctx, HttpPipelineModule, NestFastifyApplication, RequestContext, Route } from '@appconda/core';
import {
  DatabaseModule,
  KeyRepository,
  MembershipRepository,
  PlatformRepository,
  ProjectRepository,
  SessionRepository,
  StatsRepository,
  TeamRepository,
  UserEntity,
  UserRepository,
} from '@appconda/database';
import { IdentityModule, ProjectContextService } from '@appconda/identity';
import { createTestDatabase, deleteRedisKeys, LoopbackDns, startLoopbackDns, TestDatabase, testRedisPrefix, UserFactory } from '@appconda/testing';
import { REDIS, RedisModule } from '@appconda/transport';
import type Redis from 'ioredis';

import { ProjectDeletesHandler } from './project-deletes.handler';
import { ProjectsApiModule } from './projects-api.module';
import { ProjectsModule } from './projects.module';

/** node-appwrite's generic request method (public at run time, missing from its typings). */
function sdkCall(client: sdk.Client, method: string, path: string, headers: Record<string, string>, params: Record<string, unknown>): Promise<unknown> {
  return (client as unknown as { call(...args: unknown[]): Promise<unknown> }).call(method, path, headers, params);
}

/** Test-only route: proves that a key's scopes (and only they) open a scoped route. */
@Controller('projects-test')
class KeyProbeController {
  @Get('users')
  @Route({ auth: [AuthType.Key], scope: 'users.read' })
  probe(@Ctx() ctx: RequestContext) {
    return { projectId: ctx.projectId, role: ctx.role };
  }
}

@Module({
  imports: [ConfigModule, DatabaseModule.forRoot(), RedisModule, IdentityModule, HttpPipelineModule, ProjectsApiModule, ProjectsModule],
  controllers: [KeyProbeController],
})
class TestProjectsModule {}

const PASSWORD = 'correct horse battery';

interface ConsoleUser {
  user: UserEntity;
  cookie: string;
}

describe('Projects API over HTTP (real MariaDB/Redis)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  let prefix: string;
  let dns: LoopbackDns;
  const saved = { ...process.env };
  let owner: ConsoleUser;
  let viewer: ConsoleUser;
  let stranger: ConsoleUser;
  const teamId = `team${randomBytes(4).toString('hex')}`;
  const otherTeamId = `other${randomBytes(4).toString('hex')}`;

  async function seedUser(name: string): Promise<ConsoleUser> {
    const users = app.get(UserRepository);
    const password = await hashPassword(PASSWORD);
    const user = await UserFactory.from({ name, password, hash: 'argon2', hashOptions: { type: 'argon2' }, status: true }).create(users, 'console');
    const secret = randomBytes(32).toString('hex');
    await app.get(SessionRepository).create('console', { uid: `s${user.uid}`.slice(0, 36), userInternalId: user.internalId, userId: user.uid, provider: 'email', secret: hashSecret(secret), expire: new Date(Date.now() + 3600_000) });
    return { user, cookie: `a_session_console=${encodeSession({ id: user.uid, secret })}` };
  }

  async function seedTeam(uid: string, members: [ConsoleUser, string[]][]): Promise<void> {
    const team = await app.get(TeamRepository).create('console', { uid, name: uid, total: members.length, prefs: {} });
    for (const [{ user }, roles] of members) {
      await app.get(MembershipRepository).create('console', {
        uid: `m${randomBytes(8).toString('hex')}`,
        userInternalId: user.internalId,
        userId: user.uid,
        teamInternalId: team.internalId,
        teamId: team.uid,
        roles,
        invited: new Date(),
        joined: new Date(),
        confirm: true,
        secret: '',
      });
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    // Custom domains are verified through this server (_APP_DNS): the test decides what a CNAME says.
    dns = await startLoopbackDns();
    Object.assign(process.env, db.env, {
      _APP_DNS: dns.address,
      _APP_REDIS_PREFIX: prefix,
      _APP_OPENSSL_KEY_V1: 'projects-test-openssl-key',
      _APP_DOMAIN: 'appconda.io',
      _APP_DOMAIN_TARGET: 'cname.appconda.io',
      _APP_USAGE_STATS: 'enabled',
    });
    resetAppConfig();
    app = await createHttpApp(TestProjectsModule, 'projects-test');
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/v1`.replace('[::1]', '127.0.0.1');
    owner = await seedUser('owner');
    viewer = await seedUser('viewer');
    stranger = await seedUser('stranger');
    await seedTeam(teamId, [
      [owner, ['owner']],
      [viewer, ['member']],
    ]);
    await seedTeam(otherTeamId, [[stranger, ['owner']]]);
  }, 60_000);

  afterAll(async () => {
    const redis = app?.get<Redis>(REDIS);
    if (redis) await deleteRedisKeys(redis, prefix);
    await app?.close();
    await db?.drop();
    await dns?.close();
    process.env = saved;
    resetAppConfig();
  });

  async function call(method: string, path: string, who?: ConsoleUser, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-appwrite-project': 'console', ...(who ? { cookie: who.cookie } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
  }

  const newProject = async (name = 'My app', extra: Record<string, unknown> = {}) => {
    const { status, body } = await call('POST', '/projects', owner, { projectId: 'unique()', name, teamId, ...extra });
    expect(status).toBe(201);
    return body.$id as string;
  };

  describe('projects', () => {
    it('refuses guests with 401 general_unauthorized_scope', async () => {
      for (const [method, path] of [
        ['GET', '/projects'],
        ['POST', '/projects'],
        ['GET', '/console/variables'],
      ]) {
        const { status, body } = await call(method, path);
        expect([path, status, body.type]).toEqual([path, 401, 'general_unauthorized_scope']);
      }
    });

    it('accepts the session from X-Fallback-Cookies as the console does when cookies are blocked', async () => {
      const value = owner.cookie.slice('a_session_console='.length);
      const { status, body } = await call('GET', '/projects', undefined, undefined, { 'x-fallback-cookies': fallbackCookiesValue('console', value) });
      expect([status, Array.isArray(body.projects)]).toEqual([200, true]);
    });

    it('refuses project users outside the console with 401 general_access_forbidden', async () => {
      const projectId = await newProject('Outsider');
      const user = await UserFactory.from({ name: 'end user' }).create(app.get(UserRepository), projectId);
      const secret = randomBytes(32).toString('hex');
      await app.get(SessionRepository).create(projectId, { uid: `s${user.uid}`.slice(0, 36), userInternalId: user.internalId, userId: user.uid, provider: 'email', secret: hashSecret(secret) });
      const cookie = `a_session_${projectId}=${encodeSession({ id: user.uid, secret })}`;
      const { status, body } = await call('GET', '/projects', undefined, undefined, { 'x-appwrite-project': projectId, cookie });
      expect([status, body.type]).toEqual([401, 'general_access_forbidden']);
    });

    it('creates a project with the full 1.3 model', async () => {
      const { status, body } = await call('POST', '/projects', owner, { projectId: 'custom-id-1', name: 'First', teamId, description: 'd', url: 'https://example.com', legalCity: 'Berlin' });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        $id: 'custom-id-1',
        name: 'First',
        teamId,
        description: 'd',
        url: 'https://example.com',
        legalCity: 'Berlin',
        logo: '',
        authDuration: 31536000,
        authLimit: 0,
        authSessionsLimit: 10,
        authPasswordHistory: 0,
        authPasswordDictionary: false,
        authEmailPassword: true,
        authUsersAuthMagicURL: true,
        authAnonymous: true,
        authInvites: true,
        authJWT: true,
        authPhone: true,
        serviceStatusForAccount: true,
        serviceStatusForGraphql: true,
        platforms: [],
        webhooks: [],
        keys: [],
        domains: [],
      });
      expect(body.$createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(body.providers).toHaveLength(36);
      expect(body.providers[0]).toEqual({ name: 'Amazon', appId: '', secret: '', enabled: false });
    });

    it('answers the 1.3 errors for reserved, duplicate, foreign-team and invalid input', async () => {
      const reserved = await call('POST', '/projects', owner, { projectId: 'console', name: 'x', teamId });
      expect([reserved.status, reserved.body.type]).toEqual([400, 'project_reserved_project']);
      const duplicate = await call('POST', '/projects', owner, { projectId: 'custom-id-1', name: 'x', teamId });
      expect([duplicate.status, duplicate.body.type]).toEqual([409, 'document_already_exists']);
      const foreign = await call('POST', '/projects', owner, { projectId: 'unique()', name: 'x', teamId: otherTeamId });
      expect([foreign.status, foreign.body.type]).toEqual([404, 'team_not_found']);
      const missing = await call('POST', '/projects', owner, { projectId: 'unique()', teamId });
      expect([missing.status, missing.body.type, missing.body.message]).toEqual([400, 'general_argument_invalid', 'Param "name" is not optional.']);
      const long = await call('POST', '/projects', owner, { projectId: 'unique()', teamId, name: 'n'.repeat(129) });
      expect(long.body.message).toBe('Invalid name: Value must be a valid string and no longer than 128 chars');
      const url = await call('POST', '/projects', owner, { projectId: 'unique()', teamId, name: 'n', url: 'not a url' });
      expect(url.body.message).toBe('Invalid url: Value must be a valid URL');
    });

    it('lists only the caller\'s teams\' projects, with queries, search and cursors', async () => {
      const second = await newProject('Second searchable');
      const mine = await call('GET', '/projects', owner);
      expect(mine.status).toBe(200);
      expect(mine.body.projects.map((p: any) => p.$id)).toEqual(expect.arrayContaining(['custom-id-1', second]));
      expect(mine.body.total).toBe(mine.body.projects.length);
      const theirs = await call('GET', '/projects', stranger);
      expect(theirs.body).toEqual({ total: 0, projects: [] });
      const filtered = await call('GET', `/projects?queries[]=${encodeURIComponent('equal("name", ["First"])')}`, owner);
      expect(filtered.body.projects.map((p: any) => p.$id)).toEqual(['custom-id-1']);
      const webForm = await call('GET', `/projects?queries[0]=${encodeURIComponent('equal("name", ["First"])')}&queries[1]=${encodeURIComponent('limit(1)')}`, owner);
      expect(webForm.body.projects.map((p: any) => p.$id)).toEqual(['custom-id-1']);
      const searched = await call('GET', '/projects?search=searchable', owner);
      expect(searched.body.projects.map((p: any) => p.$id)).toEqual([second]);
      const paged = await call('GET', `/projects?queries[]=${encodeURIComponent('cursorAfter("custom-id-1")')}`, owner);
      expect(paged.body.projects.map((p: any) => p.$id)).not.toContain('custom-id-1');
      const badCursor = await call('GET', `/projects?queries[]=${encodeURIComponent('cursorAfter("nope")')}`, owner);
      expect([badCursor.status, badCursor.body.type]).toEqual([400, 'general_cursor_not_found']);
      const badQuery = await call('GET', `/projects?queries[]=${encodeURIComponent('equal("secret", ["x"])')}`, owner);
      expect([badQuery.status, badQuery.body.type]).toEqual([400, 'general_argument_invalid']);
    });

    it('gets and updates a project for team members only', async () => {
      expect((await call('GET', '/projects/custom-id-1', owner)).body.name).toBe('First');
      expect((await call('GET', '/projects/custom-id-1', viewer)).status).toBe(200);
      const hidden = await call('GET', '/projects/custom-id-1', stranger);
      expect([hidden.status, hidden.body.type]).toEqual([404, 'project_not_found']);
      const updated = await call('PATCH', '/projects/custom-id-1', owner, { name: 'Renamed', legalName: 'ACME' });
      expect(updated.status).toBe(200);
      // 1.3 writes every field: the omitted description and url are reset.
      expect(updated.body).toMatchObject({ name: 'Renamed', legalName: 'ACME', description: '', url: '', legalCity: '' });
      const strangerUpdate = await call('PATCH', '/projects/custom-id-1', stranger, { name: 'x' });
      expect([strangerUpdate.status, strangerUpdate.body.type]).toEqual([404, 'project_not_found']);
      const viewerUpdate = await call('PATCH', '/projects/custom-id-1', viewer, { name: 'x' });
      expect([viewerUpdate.status, viewerUpdate.body.type]).toEqual([401, 'user_unauthorized']);
      const invalid = await call('PATCH', '/projects/custom-id-1', owner, {});
      expect(invalid.body.message).toBe('Param "name" is not optional.');
    });
  });

  describe('auth, OAuth2 and service settings', () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = await newProject('Settings');
    });

    it('stores auth settings in the shape the identity lib reads', async () => {
      const steps: [string, unknown, Record<string, unknown>][] = [
        ['auth/duration', { duration: 3600 }, { authDuration: 3600 }],
        ['auth/limit', { limit: 50 }, { authLimit: 50 }],
        ['auth/max-sessions', { limit: 3 }, { authSessionsLimit: 3 }],
        ['auth/password-dictionary', { enabled: true }, { authPasswordDictionary: true }],
        ['auth/password-history', { limit: 5 }, { authPasswordHistory: 5 }],
        ['auth/magic-url', { status: false }, { authUsersAuthMagicURL: false }],
        ['auth/jwt', { status: false }, { authJWT: false }],
      ];
      for (const [path, body, expected] of steps) {
        const response = await call('PATCH', `/projects/${projectId}/${path}`, owner, body);
        expect([path, response.status]).toEqual([path, 200]);
        expect(response.body).toMatchObject(expected);
      }
      const context = await app.get(ProjectContextService).get(projectId);
      expect(context.auths).toEqual({
        limit: 50,
        duration: 3600,
        maxSessions: 3,
        passwordHistory: 5,
        passwordDictionary: true,
        methods: { emailPassword: true, usersAuthMagicURL: false, anonymous: true, invites: true, JWT: false, phone: true },
      });
    });

    it('refuses out-of-range and unknown settings with the framework messages', async () => {
      const cases: [string, unknown, string][] = [
        ['auth/duration', { duration: 31536001 }, 'Invalid duration: Value must be a valid range between 0 and 31,536,000'],
        ['auth/limit', { limit: -1 }, 'Invalid limit: Value must be a valid range between 0 and 10,000'],
        ['auth/max-sessions', { limit: 0 }, 'Invalid limit: Value must be a valid range between 1 and 100'],
        ['auth/password-history', { limit: 21 }, 'Invalid limit: Value must be a valid range between 0 and 20'],
        ['auth/password-dictionary', {}, 'Param "enabled" is not optional.'],
        ['auth/unknown', { status: true }, 'Invalid method: Value must be one of (email-password, magic-url, anonymous, invites, jwt, phone)'],
      ];
      for (const [path, body, message] of cases) {
        const response = await call('PATCH', `/projects/${projectId}/${path}`, owner, body);
        expect([path, response.status, response.body.type, response.body.message]).toEqual([path, 400, 'general_argument_invalid', message]);
      }
      const denied = await call('PATCH', `/projects/${projectId}/auth/limit`, stranger, { limit: 1 });
      expect([denied.status, denied.body.type]).toEqual([404, 'project_not_found']);
    });

    it('configures OAuth2 providers and service switches', async () => {
      const set = await call('PATCH', `/projects/${projectId}/oauth2`, owner, { provider: 'github', appId: 'app', secret: 'shh', enabled: true });
      expect(set.body.providers.find((p: any) => p.name === 'Github')).toEqual({ name: 'Github', appId: 'app', secret: 'shh', enabled: true });
      const partial = await call('PATCH', `/projects/${projectId}/oauth2`, owner, { provider: 'github', enabled: false });
      expect(partial.body.providers.find((p: any) => p.name === 'Github')).toEqual({ name: 'Github', appId: 'app', secret: 'shh', enabled: false });
      const unknown = await call('PATCH', `/projects/${projectId}/oauth2`, owner, { provider: 'mock' });
      expect([unknown.status, unknown.body.type]).toEqual([400, 'general_argument_invalid']);
      const off = await call('PATCH', `/projects/${projectId}/service`, owner, { service: 'graphql', status: false });
      expect(off.body).toMatchObject({ serviceStatusForGraphql: false, serviceStatusForUsers: true });
      expect((await app.get(ProjectContextService).get(projectId)).services).toEqual({ graphql: false });
      const required = await call('PATCH', `/projects/${projectId}/service`, owner, { service: 'projects', status: false });
      expect([required.status, required.body.type]).toEqual([400, 'general_argument_invalid']);
      const denied = await call('PATCH', `/projects/${projectId}/service`, stranger, { service: 'graphql', status: true });
      expect(denied.status).toBe(404);
    });
  });

  describe('keys', () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = await newProject('Keys');
    });

    it('creates a key whose secret authenticates an SDK client for its scopes only', async () => {
      const created = await call('POST', `/projects/${projectId}/keys`, owner, { name: 'server', scopes: ['users.read', 'health.read'] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'server', scopes: ['users.read', 'health.read'], expire: null, accessedAt: '', sdks: [] });
      expect(created.body.secret).toMatch(/^[0-9a-f]{256}$/);
      // Stored hashed (lookup) and encrypted, never in clear.
      const [row] = await db.dataSource.query('SELECT secret, secretEncrypted FROM `keys` WHERE _uid = ?', [created.body.$id]);
      expect(row.secret).toBe(hashSecret(created.body.secret));
      expect(row.secretEncrypted).not.toContain(created.body.secret);

      const fetched = await call('GET', `/projects/${projectId}/keys/${created.body.$id}`, owner);
      expect(fetched.body.secret).toBe(created.body.secret);
      const listed = await call('GET', `/projects/${projectId}/keys`, owner);
      expect(listed.body.total).toBe(1);
      expect(listed.body.keys[0].secret).toBe(created.body.secret);
      expect((await call('GET', `/projects/${projectId}`, owner)).body.keys[0].secret).toBe(created.body.secret);

      const client = new sdk.Client().setEndpoint(base).setProject(projectId).setKey(created.body.secret);
      await expect(sdkCall(client, 'get', '/projects-test/users', { 'content-type': 'application/json' }, {})).resolves.toEqual({ projectId, role: 'apps' });

      const narrow = await call('POST', `/projects/${projectId}/keys`, owner, { name: 'health only', scopes: ['health.read'] });
      const narrowClient = new sdk.Client().setEndpoint(base).setProject(projectId).setKey(narrow.body.secret);
      await expect(sdkCall(narrowClient, 'get', '/projects-test/users', { 'content-type': 'application/json' }, {})).rejects.toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    });

    it('refuses an expired key with 401 project_key_expired', async () => {
      const expired = await call('POST', `/projects/${projectId}/keys`, owner, { name: 'old', scopes: ['users.read'], expire: '2020-01-01T00:00:00.000+00:00' });
      expect(expired.body.expire).toBe('2020-01-01T00:00:00.000+00:00');
      const client = new sdk.Client().setEndpoint(base).setProject(projectId).setKey(expired.body.secret);
      await expect(sdkCall(client, 'get', '/projects-test/users', { 'content-type': 'application/json' }, {})).rejects.toMatchObject({ code: 401, type: 'project_key_expired' });
    });

    it('updates and deletes keys; validates scopes; hides them from strangers', async () => {
      const created = await call('POST', `/projects/${projectId}/keys`, owner, { name: 'tmp', scopes: ['users.read'] });
      const updated = await call('PUT', `/projects/${projectId}/keys/${created.body.$id}`, owner, { name: 'renamed', scopes: ['teams.read'], expire: '2099-01-01T00:00:00.000Z' });
      expect(updated.body).toMatchObject({ name: 'renamed', scopes: ['teams.read'], expire: '2099-01-01T00:00:00.000+00:00', secret: created.body.secret });
      const badScope = await call('POST', `/projects/${projectId}/keys`, owner, { name: 'x', scopes: ['projects.write'] });
      expect([badScope.status, badScope.body.type]).toEqual([400, 'general_argument_invalid']);
      expect(badScope.body.message).toMatch(/^Invalid scopes: Value must a valid array no longer than 100 items and Value must be one of \(/);
      expect((await call('GET', `/projects/${projectId}/keys`, stranger)).status).toBe(404);
      expect((await call('POST', `/projects/${projectId}/keys`, stranger, { name: 'x', scopes: [] })).body.type).toBe('project_not_found');
      expect((await call('DELETE', `/projects/${projectId}/keys/${created.body.$id}`, owner)).status).toBe(204);
      const gone = await call('GET', `/projects/${projectId}/keys/${created.body.$id}`, owner);
      expect([gone.status, gone.body.type]).toEqual([404, 'key_not_found']);
      expect((await call('PUT', `/projects/${projectId}/keys/missing`, owner, { name: 'x', scopes: [] })).body.type).toBe('key_not_found');
      expect((await call('DELETE', `/projects/${projectId}/keys/missing`, owner)).body.type).toBe('key_not_found');
    });
  });

  describe('platforms and webhooks', () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = await newProject('Integrations');
    });

    it('manages platforms and keeps the origin check fed', async () => {
      const created = await call('POST', `/projects/${projectId}/platforms`, owner, { type: 'web', name: 'Site', hostname: 'app.example.com' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ type: 'web', name: 'Site', hostname: 'app.example.com', key: '', store: '', httpUser: '', httpPass: '' });
      expect((await app.get(ProjectContextService).get(projectId)).platforms).toEqual([{ type: 'web', hostname: 'app.example.com', key: '' }]);
      const id = created.body.$id;
      expect((await call('GET', `/projects/${projectId}/platforms/${id}`, owner)).body.name).toBe('Site');
      expect((await call('GET', `/projects/${projectId}/platforms`, owner)).body.total).toBe(1);
      const updated = await call('PUT', `/projects/${projectId}/platforms/${id}`, owner, { name: 'Site 2', hostname: 'www.example.com' });
      expect(updated.body).toMatchObject({ name: 'Site 2', hostname: 'www.example.com', type: 'web' });
      const badType = await call('POST', `/projects/${projectId}/platforms`, owner, { type: 'ios', name: 'x' });
      expect([badType.status, badType.body.type]).toEqual([400, 'general_argument_invalid']);
      expect((await call('GET', `/projects/${projectId}/platforms/${id}`, stranger)).body.type).toBe('project_not_found');
      expect((await call('DELETE', `/projects/${projectId}/platforms/${id}`, owner)).status).toBe(204);
      expect((await call('GET', `/projects/${projectId}/platforms/${id}`, owner)).body.type).toBe('platform_not_found');
      expect((await call('PUT', `/projects/${projectId}/platforms/${id}`, owner, { name: 'x' })).body.type).toBe('platform_not_found');
      expect((await call('DELETE', `/projects/${projectId}/platforms/${id}`, owner)).body.type).toBe('platform_not_found');
    });

    it('manages webhooks and regenerates their signature key', async () => {
      const body = { name: 'Hook', events: ['users.*.create'], url: 'https://example.com/hook', security: true, httpUser: 'u', httpPass: 'p' };
      const created = await call('POST', `/projects/${projectId}/webhooks`, owner, body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject(body);
      expect(created.body.signatureKey).toMatch(/^[0-9a-f]{128}$/);
      const id = created.body.$id;
      expect((await call('GET', `/projects/${projectId}/webhooks`, owner)).body.webhooks[0].$id).toBe(id);
      expect((await call('GET', `/projects/${projectId}/webhooks/${id}`, owner)).body.url).toBe(body.url);
      const updated = await call('PUT', `/projects/${projectId}/webhooks/${id}`, owner, { ...body, name: 'Hook 2', events: ['teams.*'], security: false });
      expect(updated.body).toMatchObject({ name: 'Hook 2', events: ['teams.*'], security: false, signatureKey: created.body.signatureKey });
      const signed = await call('PATCH', `/projects/${projectId}/webhooks/${id}/signature`, owner);
      expect(signed.status).toBe(200);
      expect(signed.body.signatureKey).not.toBe(created.body.signatureKey);
      const badEvent = await call('POST', `/projects/${projectId}/webhooks`, owner, { ...body, events: ['nothing.here'] });
      expect([badEvent.status, badEvent.body.message]).toEqual([400, 'Invalid events: Value must a valid array no longer than 100 items and Event is not valid.']);
      const missing = await call('POST', `/projects/${projectId}/webhooks`, owner, { ...body, security: undefined });
      expect(missing.body.message).toBe('Param "security" is not optional.');
      expect((await call('PATCH', `/projects/${projectId}/webhooks/${id}/signature`, stranger)).status).toBe(404);
      expect((await call('DELETE', `/projects/${projectId}/webhooks/${id}`, owner)).status).toBe(204);
      expect((await call('GET', `/projects/${projectId}/webhooks/${id}`, owner)).body.type).toBe('webhook_not_found');
      expect((await call('PATCH', `/projects/${projectId}/webhooks/${id}/signature`, owner)).body.type).toBe('webhook_not_found');
    });
  });

  describe('domains', () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = await newProject('Domains');
    });
    afterEach(() => jest.restoreAllMocks());

    it('creates, verifies by CNAME and deletes a custom domain', async () => {
      const created = await call('POST', `/projects/${projectId}/domains`, owner, { domain: 'api.shop.co.uk' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ domain: 'api.shop.co.uk', tld: 'co.uk', registerable: 'shop.co.uk', verification: false, certificateId: '' });
      const id = created.body.$id;
      const duplicate = await call('POST', `/projects/${projectId}/domains`, owner, { domain: 'api.shop.co.uk' });
      expect([duplicate.status, duplicate.body.type]).toEqual([409, 'domain_already_exists']);

      // No record at all, then a CNAME elsewhere: both fail (1.3: 401 domain_verification_failed).
      const unknown = await call('PATCH', `/projects/${projectId}/domains/${id}/verification`, owner);
      expect([unknown.status, unknown.body.type]).toEqual([401, 'domain_verification_failed']);
      dns.set('api.shop.co.uk', { cname: 'elsewhere.example.net' });
      const failed = await call('PATCH', `/projects/${projectId}/domains/${id}/verification`, owner);
      expect([failed.status, failed.body.type]).toEqual([401, 'domain_verification_failed']);
      expect((await call('GET', `/projects/${projectId}/domains/${id}`, owner)).body.verification).toBe(false);
      dns.set('api.shop.co.uk', { cname: 'CNAME.appconda.io' });
      const verified = await call('PATCH', `/projects/${projectId}/domains/${id}/verification`, owner);
      expect([verified.status, verified.body.verification]).toEqual([200, true]);
      expect(dns.queries('api.shop.co.uk')).toBe(3);
      // Verified: worker-certificates is asked for its certificate.
      const jobs = await app.get<Queue>(getQueueToken(QueueName.Certificates), { strict: false }).getJobs(['waiting']);
      expect(jobs.map((job) => job.data)).toContainEqual({ domain: 'api.shop.co.uk', validateCNAME: false, validateTarget: true, projectId, domainId: id });
      // Verifying again answers the domain as it is, without another lookup.
      expect((await call('PATCH', `/projects/${projectId}/domains/${id}/verification`, owner)).body.verification).toBe(true);
      expect(dns.queries('api.shop.co.uk')).toBe(3);

      expect((await call('GET', `/projects/${projectId}/domains/${id}`, owner)).body.verification).toBe(true);
      expect((await call('GET', `/projects/${projectId}/domains`, owner)).body).toMatchObject({ total: 1, domains: [{ $id: id }] });
      expect((await call('GET', `/projects/${projectId}/domains`, stranger)).status).toBe(404);
      expect((await call('DELETE', `/projects/${projectId}/domains/${id}`, owner)).status).toBe(204);
      expect((await call('GET', `/projects/${projectId}/domains/${id}`, owner)).body.type).toBe('domain_not_found');
      expect((await call('PATCH', `/projects/${projectId}/domains/${id}/verification`, owner)).body.type).toBe('domain_not_found');
    });

    it('refuses invalid names, IPs, localhost and the server\'s own domain', async () => {
      for (const domain of ['not a domain', '127.0.0.1', '::1', 'localhost', 'bad_label.example.com', '-dash.example.com', `${'a'.repeat(64)}.example.com`, '']) {
        const invalid = await call('POST', `/projects/${projectId}/domains`, owner, { domain });
        expect([domain, invalid.status, invalid.body.type, invalid.body.message]).toEqual([domain, 400, 'general_argument_invalid', 'Invalid domain: Value must be a valid domain']);
      }
      const own = await call('POST', `/projects/${projectId}/domains`, owner, { domain: 'appconda.io' });
      expect([own.status, own.body.type]).toEqual([400, 'general_argument_invalid']);
    });
  });

  describe('usage and console variables', () => {
    it('returns the usage statistics as series over the range, zero where none were recorded', async () => {
      const projectId = await newProject('Usage');
      // What the usage service writes for today (apps/usage aggregates it).
      const today = new Date(Math.floor(Date.now() / 86400_000) * 86400_000);
      await app.get(StatsRepository).upsert([{ projectId, metric: 'users.count', period: '1d', time: today, value: 1 }]);
      const usage = await call('GET', `/projects/${projectId}/usage?range=7d`, owner);
      expect(usage.status).toBe(200);
      expect(Object.keys(usage.body).sort()).toEqual(['buckets', 'databases', 'documents', 'executions', 'network', 'range', 'requests', 'storage', 'users']);
      expect(usage.body.range).toBe('7d');
      expect(usage.body.requests).toHaveLength(7);
      expect(usage.body.users[6].value).toBe(1);
      expect(usage.body.requests.every((m: any) => m.value === 0)).toBe(true);
      expect((await call('GET', `/projects/${projectId}/usage`, owner)).body.requests).toHaveLength(30);
      expect((await call('GET', `/projects/${projectId}/usage?range=1y`, owner)).body.message).toBe('Invalid range: Value must be one of (24h, 7d, 30d, 90d)');
      expect((await call('GET', `/projects/${projectId}/usage`, stranger)).body.type).toBe('project_not_found');
    });

    it('serves the console variables from the configuration', async () => {
      const { status, body } = await call('GET', '/console/variables', owner);
      expect(status).toBe(200);
      expect(body).toEqual({ _APP_DOMAIN_TARGET: 'cname.appconda.io', _APP_STORAGE_LIMIT: expect.any(Number), _APP_FUNCTIONS_SIZE_LIMIT: expect.any(Number), _APP_USAGE_STATS: 'enabled' });
    });
  });

  describe('delete', () => {
    it('checks the password, answers 204 and enqueues a deletes job that removes the project\'s rows', async () => {
      const projectId = await newProject('Doomed');
      await call('POST', `/projects/${projectId}/platforms`, owner, { type: 'web', name: 'w', hostname: 'doomed.example.com' });
      await call('POST', `/projects/${projectId}/keys`, owner, { name: 'k', scopes: ['users.read'] });
      await UserFactory.from({ name: 'end user' }).create(app.get(UserRepository), projectId);
      const survivor = await newProject('Survivor');
      await call('POST', `/projects/${survivor}/keys`, owner, { name: 'k', scopes: ['users.read'] });

      const wrong = await call('DELETE', `/projects/${projectId}`, owner, { password: 'wrong password' });
      expect([wrong.status, wrong.body.type]).toEqual([401, 'user_invalid_credentials']);
      const foreign = await call('DELETE', `/projects/${projectId}`, stranger, { password: PASSWORD });
      expect([foreign.status, foreign.body.type]).toEqual([404, 'project_not_found']);
      const internalId = (await app.get(ProjectRepository).findByUid('console', projectId))!.internalId;

      const deleted = await call('DELETE', `/projects/${projectId}`, owner, { password: PASSWORD });
      expect(deleted.status).toBe(204);
      expect((await call('GET', `/projects/${projectId}`, owner)).body.type).toBe('project_not_found');

      const queue = app.get<Queue>(getQueueToken(QueueName.Deletes));
      const job = await queue.getJob(`${projectId}.projects.${internalId}`);
      expect(job?.data).toEqual({ type: 'projects', projectId, document: { $id: projectId, $internalId: internalId, collection: 'projects' } });
      await app.get(ProjectDeletesHandler).handle(job!.data);

      expect(await app.get(PlatformRepository).count(projectId)).toBe(0);
      expect(await app.get(KeyRepository).count(projectId)).toBe(0);
      expect(await app.get(UserRepository).count(projectId)).toBe(0);
      expect(await app.get(KeyRepository).count(survivor)).toBe(1);
      expect((await app.get(UserRepository).count('console')) >= 3).toBe(true);
      await job!.remove();
    });
  });
});
