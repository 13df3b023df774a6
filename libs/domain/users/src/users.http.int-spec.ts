import { encodeSession, generateSecret, hashPassword, hashSecret } from '@appconda/auth';
import { AuditRepository, MembershipRepository, ProjectRepository, SessionRepository, StatsRepository, TeamRepository, TokenRepository, UserEntity, UserRepository } from '@appconda/database';
import { ProjectContextService } from '@appconda/identity';
import { createTestApi, TestApi } from '@appconda/testing';
import { createHash, scryptSync } from 'node:crypto';
import * as sdk from 'node-appwrite';

import { UsersApiModule } from './users-api.module';
import { UsersService } from './users.service';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

/** Resolves the AppwriteException a failing SDK call rejects with. */
async function failure(call: Promise<unknown>): Promise<{ code: number; type: string; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code: number; type: string; message: string };
    return { code: e.code, type: e.type, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('Users API over HTTP (node-appwrite@9.0.0, real MariaDB/Redis)', () => {
  let api: TestApi;
  let projectId: string;
  let secret: string;
  let users: sdk.Users;
  let repo: UserRepository;
  let service: UsersService;

  const client = (project: string, key?: string) => {
    const c = new sdk.Client().setEndpoint(api.endpoint).setProject(project);
    if (key) c.setKey(key);
    return new sdk.Users(c);
  };
  const entity = async (userId: string): Promise<UserEntity> => (await repo.findByUid(projectId, userId))!;

  beforeAll(async () => {
    api = await createTestApi([UsersApiModule]);
    ({ projectId, key: secret } = await api.seedProject(['users.read', 'users.write']));
    users = client(projectId, secret);
    repo = api.app.get(UserRepository);
    service = api.app.get(UsersService);
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('create', () => {
    it('creates a user with a plain password hashed by argon2 and answers the full 1.3 user model', async () => {
      const user = await users.create('ann', 'Ann@Example.com', '+14155550100', 'password123', 'Ann');
      expect(user).toEqual({
        $id: 'ann',
        $createdAt: expect.stringMatching(ISO),
        $updatedAt: expect.stringMatching(ISO),
        name: 'Ann',
        password: expect.stringMatching(/^\$argon2id\$v=19\$m=2048,t=4,p=3\$/),
        hash: 'argon2',
        hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
        registration: expect.stringMatching(ISO),
        status: true,
        passwordUpdate: expect.stringMatching(ISO),
        email: 'ann@example.com',
        phone: '+14155550100',
        emailVerification: false,
        phoneVerification: false,
        prefs: {},
      });
      const stored = await entity('ann');
      expect(stored.search).toBe('ann ann@example.com +14155550100 Ann');
      expect(await service.checkPassword(stored, 'password123')).toBe(true);
      expect(await service.checkPassword(stored, 'password124')).toBe(false);
    });

    it('generates an ID for unique() and allows users without email, phone or password', async () => {
      const user = await users.create(sdk.ID.unique());
      expect(user.$id).toMatch(/^[0-9a-f]{20}$/);
      expect(user).toMatchObject({ email: '', phone: '', password: '', name: '', passwordUpdate: '' });
    });

    it('answers 409 user_already_exists for a taken ID, email or phone', async () => {
      for (const call of [
        () => users.create('ann', 'other@example.com'),
        () => users.create(sdk.ID.unique(), 'ANN@example.com'),
        () => users.create(sdk.ID.unique(), undefined, '+14155550100'),
        () => users.createMD5User(sdk.ID.unique(), 'ann@example.com', '5f4dcc3b5aa765d61d8327deb882cf99'),
      ]) {
        expect(await failure(call())).toMatchObject({ code: 409, type: 'user_already_exists' });
      }
    });

    it('answers 400 general_argument_invalid for invalid params', async () => {
      const cases: [() => Promise<unknown>, string][] = [
        [() => users.create('bad id!', 'x@example.com'), 'Invalid userId'],
        [() => users.create(sdk.ID.unique(), 'not-an-email'), 'Invalid email: Value must be a valid email address'],
        [() => users.create(sdk.ID.unique(), undefined, '14155550100'), "Invalid phone: Phone number must start with a '+'"],
        [() => users.create(sdk.ID.unique(), undefined, '+1234567890123456'), 'Invalid phone'],
        [() => users.create(sdk.ID.unique(), 'short@example.com', undefined, 'short'), 'Invalid password: Password must be at least 8 characters'],
        [() => users.create(sdk.ID.unique(), undefined, undefined, undefined, 'n'.repeat(129)), 'Invalid name: Value must be a valid string and no longer than 128 chars'],
        [() => users.createSHAUser(sdk.ID.unique(), 'sha@example.com', 'a'.repeat(64), 'sha999' as never), 'Invalid passwordVersion'],
      ];
      for (const [call, message] of cases) {
        const error = await failure(call());
        expect([error.code, error.type]).toEqual([400, 'general_argument_invalid']);
        expect(error.message).toContain(message);
      }
    });
  });

  describe('imported password hashes', () => {
    const plain = 'appwrite-secret';

    it.each([
      ['argon2', async () => users.createArgon2User('h-argon2', 'argon2@example.com', await hashPassword(plain, 'argon2')), { type: 'argon2' }],
      ['bcrypt', async () => users.createBcryptUser('h-bcrypt', 'bcrypt@example.com', await hashPassword(plain, 'bcrypt', { cost: 4 })), { type: 'bcrypt' }],
      ['md5', async () => users.createMD5User('h-md5', 'md5@example.com', createHash('md5').update(plain).digest('hex')), { type: 'md5' }],
      ['phpass', async () => users.createPHPassUser('h-phpass', 'phpass@example.com', await hashPassword(plain, 'phpass')), { type: 'phpass' }],
      [
        'scrypt',
        async () => users.createScryptUser('h-scrypt', 'scrypt@example.com', scryptSync(plain, 'salty', 32, { N: 16, r: 8, p: 1 }).toString('hex'), 'salty', 16, 8, 1, 32, 'Scrypt'),
        { type: 'scrypt', salt: 'salty', costCpu: 16, costMemory: 8, costParallel: 1, length: 32 },
      ],
      [
        'scryptMod',
        async () => {
          const options = { salt: 'UxLMreBr6tYyjQ==', saltSeparator: 'Bw==', signerKey: 'XyEKE9RcTDeLEsL/RjwPDBv/RqDl8fb3gpYEOQaPihbxf1ZAtSOHCjuAAa7Q3oHpCYhXSN9tizHgVOwn6krflQ==' };
          const hash = await hashPassword(plain, 'scryptMod', options);
          return users.createScryptModifiedUser('h-scryptmod', 'scryptmod@example.com', hash, options.salt, options.saltSeparator, options.signerKey);
        },
        { type: 'scryptMod', salt: 'UxLMreBr6tYyjQ==', saltSeparator: 'Bw==', signerKey: 'XyEKE9RcTDeLEsL/RjwPDBv/RqDl8fb3gpYEOQaPihbxf1ZAtSOHCjuAAa7Q3oHpCYhXSN9tizHgVOwn6krflQ==' },
      ],
      ['sha', async () => users.createSHAUser('h-sha', 'sha@example.com', createHash('sha256').update(plain).digest('hex'), 'sha256'), { type: 'sha', version: 'sha256' }],
      ['sha (default sha3-512)', async () => users.createSHAUser('h-sha3', 'sha3@example.com', createHash('sha3-512').update(plain).digest('hex')), { type: 'sha' }],
    ] as const)('%s: stores the hash with its options and the plain password verifies', async (_name, create, hashOptions) => {
      const user = await create();
      expect(user.hashOptions).toEqual(hashOptions);
      const stored = await entity(user.$id);
      expect(stored.password).toBe(user.password);
      expect(await service.checkPassword(stored, plain)).toBe(true);
      expect(await service.checkPassword(stored, `${plain}!`)).toBe(false);
    });

    it('stores the options the model shows (scrypt salt, sha version)', async () => {
      expect((await entity('h-scrypt')).hashOptions).toEqual({ type: 'scrypt', salt: 'salty', costCpu: 16, costMemory: 8, costParallel: 1, length: 32 });
      expect((await entity('h-sha')).hashOptions).toEqual({ type: 'sha', version: 'sha256' });
    });

    it('requires email and password on the import routes', async () => {
      // The SDK checks required params itself, so this one goes around it.
      const response = await fetch(`${api.endpoint}/users/md5`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-appwrite-project': projectId, 'x-appwrite-key': secret },
        body: JSON.stringify({ userId: 'unique()', password: 'x'.repeat(32) }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 400, type: 'general_argument_invalid', message: 'Param "email" is not optional.' });
    });
  });

  describe('list and get', () => {
    beforeAll(async () => {
      for (const [id, name] of [
        ['list-carol', 'Carol Quinn'],
        ['list-alice', 'Alice Moss'],
        ['list-bob', 'Bob Stone'],
      ]) {
        await users.create(id, `${id}@list.test`, undefined, undefined, name);
      }
    });

    it('lists with equal, order, limit, offset and cursor queries', async () => {
      const equal = await users.list([sdk.Query.equal('name', ['Bob Stone'])]);
      expect(equal.total).toBe(1);
      expect(equal.users[0].$id).toBe('list-bob');

      const ordered = await users.list([sdk.Query.startsWith('email', 'list-'), sdk.Query.orderAsc('name'), sdk.Query.limit(2)]);
      expect(ordered.total).toBe(3);
      expect(ordered.users.map((u) => u.$id)).toEqual(['list-alice', 'list-bob']);

      const offset = await users.list([sdk.Query.startsWith('email', 'list-'), sdk.Query.orderDesc('name'), sdk.Query.offset(1)]);
      expect(offset.users.map((u) => u.$id)).toEqual(['list-bob', 'list-alice']);

      const after = await users.list([sdk.Query.startsWith('email', 'list-'), sdk.Query.orderAsc('name'), sdk.Query.cursorAfter('list-alice')]);
      expect(after.users.map((u) => u.$id)).toEqual(['list-bob', 'list-carol']);
    });

    it('searches id, email, phone and name', async () => {
      const byName = await users.list(undefined, 'Quinn');
      expect(byName.users.map((u) => u.$id)).toEqual(['list-carol']);
      const byPhone = await users.list(undefined, '+14155550100');
      expect(byPhone.users.map((u) => u.$id)).toEqual(['ann']);
    });

    it('rejects unknown attributes and missing cursors', async () => {
      expect(await failure(users.list([sdk.Query.equal('password', ['x'])]))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
      expect(await failure(users.list([sdk.Query.cursorAfter('nobody')]))).toMatchObject({ code: 400, type: 'general_cursor_not_found' });
    });

    it('gets a user, 404 user_not_found for an unknown one', async () => {
      expect((await users.get('list-bob')).name).toBe('Bob Stone');
      expect(await failure(users.get('nobody'))).toMatchObject({ code: 404, type: 'user_not_found' });
    });
  });

  describe('updates', () => {
    beforeAll(async () => {
      await users.create('upd', 'upd@example.com', '+14155550101', 'password123', 'Upd');
    });

    it('updates name, email (lowercased, unverified again) and phone', async () => {
      expect((await users.updateName('upd', 'New Name')).name).toBe('New Name');
      await users.updateEmailVerification('upd', true);
      const email = await users.updateEmail('upd', 'UPD2@Example.com');
      expect([email.email, email.emailVerification]).toEqual(['upd2@example.com', false]);
      expect((await users.updatePhone('upd', '+14155550199')).phone).toBe('+14155550199');
      expect((await entity('upd')).search).toBe('upd upd2@example.com +14155550199 New Name');
    });

    it('answers 409 for a taken email or phone and 400 for an invalid phone', async () => {
      expect(await failure(users.updateEmail('upd', 'ann@example.com'))).toMatchObject({ code: 409, type: 'user_email_already_exists' });
      expect(await failure(users.updatePhone('upd', '+14155550100'))).toMatchObject({ code: 409, type: 'user_phone_already_exists' });
      expect(await failure(users.updatePhone('upd', '555-0100'))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
      expect(await failure(users.updateName('nobody', 'x'))).toMatchObject({ code: 404, type: 'user_not_found' });
    });

    it('updates status and both verifications', async () => {
      expect((await users.updateStatus('upd', false)).status).toBe(false);
      expect((await users.updateEmailVerification('upd', true)).emailVerification).toBe(true);
      expect((await users.updatePhoneVerification('upd', true)).phoneVerification).toBe(true);
      expect(await failure(users.updateStatus('upd', 'yes' as never))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    });

    it('replaces prefs and reads them back', async () => {
      expect(await users.getPrefs('upd')).toEqual({});
      expect(await users.updatePrefs('upd', { theme: 'dark', n: 1 })).toEqual({ theme: 'dark', n: 1 });
      expect(await users.updatePrefs('upd', { lang: 'de' })).toEqual({ lang: 'de' });
      expect(await users.getPrefs('upd')).toEqual({ lang: 'de' });
      expect(await failure(users.updatePrefs('upd', { big: 'x'.repeat(70000) }))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    });

    it('rehashes a new password and refuses a recent one when the project keeps a history', async () => {
      const updated = await users.updatePassword('upd', 'brand-new-pass');
      expect(updated.hash).toBe('argon2');
      expect(await service.checkPassword(await entity('upd'), 'brand-new-pass')).toBe(true);

      const projects = api.app.get(ProjectRepository);
      const project = (await projects.findByUid('console', projectId))!;
      await projects.update('console', projectId, { auths: { ...project.auths, passwordHistory: 2 } });
      api.app.get(ProjectContextService).invalidate(projectId);
      try {
        await users.updatePassword('upd', 'history-one-pass');
        expect(await failure(users.updatePassword('upd', 'history-one-pass'))).toMatchObject({ code: 409, type: 'password_recently_used' });
        await users.updatePassword('upd', 'history-two-pass');
        expect((await entity('upd')).passwordHistory).toHaveLength(2);
      } finally {
        await projects.update('console', projectId, { auths: project.auths });
        api.app.get(ProjectContextService).invalidate(projectId);
      }
    });
  });

  describe('sessions, memberships, logs, usage and delete', () => {
    let target: UserEntity;

    const seedSession = (uid: string) =>
      api.app.get(SessionRepository).create(projectId, {
        uid,
        userInternalId: target.internalId,
        userId: target.uid,
        provider: 'email',
        providerUid: 'victim@example.com',
        secret: `hashed-${uid}`,
        expire: new Date(Date.now() + 3600_000),
        userAgent: 'Mozilla/5.0',
        ip: '127.0.0.1',
        countryCode: '--',
        osCode: 'LIN',
        osName: 'GNU/Linux',
        deviceName: 'desktop',
      });

    beforeAll(async () => {
      await users.create('victim', 'victim@example.com', undefined, 'password123', 'Victim');
      target = await entity('victim');
      await seedSession('s1');
      await seedSession('s2');
      await seedSession('s3');
      await api.app.get(TokenRepository).create(projectId, { uid: 't1', userInternalId: target.internalId, userId: 'victim', type: 2, secret: 'x', expire: new Date() });
      const team = await api.app.get(TeamRepository).create(projectId, { uid: 'team1', name: 'Team One', total: 1, prefs: {} });
      await api.app.get(MembershipRepository).create(projectId, {
        uid: 'm1',
        userInternalId: target.internalId,
        userId: 'victim',
        teamInternalId: team.internalId,
        teamId: 'team1',
        roles: ['owner'],
        invited: new Date(),
        joined: new Date(),
        confirm: true,
        secret: '',
      });
      const audits = api.app.get(AuditRepository);
      for (let i = 0; i < 3; i++) {
        await audits.insert(projectId, {
          id: `audit-${i}`,
          event: 'session.create',
          userId: 'victim',
          userName: 'Victim',
          userEmail: 'victim@example.com',
          mode: 'default',
          ip: '10.0.0.1',
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0',
          time: new Date(Date.now() - i * 1000),
        });
      }
    });

    it('lists the user sessions as 1.3 session models', async () => {
      const list = await users.listSessions('victim');
      expect(list.total).toBe(3);
      expect(list.sessions[0]).toMatchObject({ $id: 's1', userId: 'victim', provider: 'email', countryCode: '--', countryName: 'Unknown', current: false, osCode: 'LIN', expire: expect.stringMatching(ISO) });
      expect(list.sessions[0]).not.toHaveProperty('secret');
    });

    it('deletes one session, 404 user_session_not_found for another user or unknown id, then all', async () => {
      await users.deleteSession('victim', 's1');
      expect(await failure(users.deleteSession('victim', 's1'))).toMatchObject({ code: 404, type: 'user_session_not_found' });
      expect(await failure(users.deleteSession('ann', 's2'))).toMatchObject({ code: 404, type: 'user_session_not_found' });
      expect((await users.listSessions('victim')).total).toBe(2);
      await users.deleteSessions('victim');
      expect((await users.listSessions('victim')).total).toBe(0);
      await seedSession('s4');
    });

    it('lists memberships with user and team names', async () => {
      const list = await users.listMemberships('victim');
      expect(list).toEqual({
        total: 1,
        memberships: [
          {
            $id: 'm1',
            $createdAt: expect.stringMatching(ISO),
            $updatedAt: expect.stringMatching(ISO),
            userId: 'victim',
            userName: 'Victim',
            userEmail: 'victim@example.com',
            teamId: 'team1',
            teamName: 'Team One',
            invited: expect.stringMatching(ISO),
            joined: expect.stringMatching(ISO),
            confirm: true,
            roles: ['owner'],
          },
        ],
      });
    });

    it('lists logs newest first with limit and offset', async () => {
      const all = await users.listLogs('victim');
      expect(all.total).toBe(3);
      expect(all.logs[0]).toMatchObject({ event: 'session.create', userId: 'victim', userName: 'Victim', ip: '10.0.0.1', clientName: 'Firefox', osName: 'GNU/Linux', countryName: 'Unknown' });
      const page = await users.listLogs('victim', [sdk.Query.limit(1), sdk.Query.offset(1)]);
      expect([page.total, page.logs.length, page.logs[0].time]).toEqual([3, 1, all.logs[1].time]);
      expect(await failure(users.listLogs('victim', [sdk.Query.equal('event', ['x'])]))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    });

    it('answers the usageUsers model from the usage statistics', async () => {
      // What the usage service writes for this hour (apps/usage aggregates it from the API's counters).
      const hour = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
      const stat = (metric: string, value: number) => ({ projectId, metric, period: '1h' as const, time: hour, value });
      await api.app.get(StatsRepository).upsert([stat('users.count', 15), stat('users.requests.create', 15), stat('sessions.requests.create', 1), stat('sessions.requests.create:email', 1)]);
      const response = await fetch(`${api.endpoint}/users/usage?range=24h`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': secret } });
      const body = (await response.json()) as Record<string, { value: number; date: string }[]> & { range: string };
      expect(response.status).toBe(200);
      expect(body.range).toBe('24h');
      expect(body.usersCount).toHaveLength(24);
      expect(body.usersCount[23]).toEqual({ value: 15, date: hour.toISOString().replace('Z', '+00:00') });
      expect(body.usersCount[22].value).toBe(0);
      expect(body.usersCreate.reduce((sum, p) => sum + p.value, 0)).toBe(15);
      expect(body.sessionsCreate[23].value).toBe(1);
      expect(body.sessionsProviderCreate[23].value).toBe(0);
      const byProvider = await fetch(`${api.endpoint}/users/usage?range=24h&provider=email`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': secret } });
      expect(((await byProvider.json()) as Record<string, { value: number }[]>).sessionsProviderCreate[23].value).toBe(1);
      expect(body.usersDelete.every((p) => p.value === 0)).toBe(true);
      expect(body.usersCount[0].date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000\+00:00$/);
      const bad = await fetch(`${api.endpoint}/users/usage?range=1y`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': secret } });
      expect(bad.status).toBe(400);
    });

    it('deletes the user with its sessions, tokens and memberships, and one member less on the team', async () => {
      expect(await users.delete('victim')).toBe('');
      expect(await failure(users.get('victim'))).toMatchObject({ code: 404, type: 'user_not_found' });
      expect(await api.app.get(SessionRepository).count(projectId, { userInternalId: target.internalId })).toBe(0);
      expect(await api.app.get(TokenRepository).count(projectId, { userInternalId: target.internalId })).toBe(0);
      expect(await api.app.get(MembershipRepository).count(projectId, { userInternalId: target.internalId })).toBe(0);
      expect((await api.app.get(TeamRepository).findByUid(projectId, 'team1'))!.total).toBe(0);
      expect(await failure(users.delete('victim'))).toMatchObject({ code: 404, type: 'user_not_found' });
    });
  });

  describe('access', () => {
    it('refuses callers without a key: 401 general_unauthorized_scope', async () => {
      expect(await failure(client(projectId).list())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
      expect(await failure(client(projectId).create(sdk.ID.unique()))).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    });

    it('lets a users.read key read but not write', async () => {
      const { key } = await api.seedProject(['users.read']);
      const readOnlyProject = (await api.app.get(ProjectRepository).list('console', { order: { internalId: 'DESC' }, limit: 1 }))[0].uid;
      const reader = client(readOnlyProject, key);
      expect((await reader.list()).total).toBe(0);
      expect(await failure(reader.create(sdk.ID.unique(), 'r@example.com'))).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
      expect(await failure(reader.delete('any'))).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    });

    it('lets console team members act on the project in admin mode, but not project users with a session', async () => {
      const console = 'console';
      const userRepo = api.app.get(UserRepository);
      const sessions = api.app.get(SessionRepository);
      const admin = await userRepo.create(console, { uid: 'admin1', name: 'Admin', email: 'admin@console.test', registration: new Date(), prefs: {}, passwordHistory: [] });
      const team = await api.app.get(TeamRepository).create(console, { uid: 'cteam', name: 'Console team', total: 1, prefs: {} });
      await api.app.get(MembershipRepository).create(console, {
        uid: 'cm1',
        userInternalId: admin.internalId,
        userId: admin.uid,
        teamInternalId: team.internalId,
        teamId: team.uid,
        roles: ['owner'],
        invited: new Date(),
        joined: new Date(),
        confirm: true,
        secret: '',
      });
      const owned = await api.seedProject(['users.read', 'users.write'], { teamId: 'cteam', teamInternalId: team.internalId });
      await client(owned.projectId, owned.key).create('member1', 'member1@example.com');
      const cookieFor = async (project: string, user: UserEntity) => {
        const secret = generateSecret();
        await sessions.create(project, { uid: generateSecret(8), userInternalId: user.internalId, userId: user.uid, provider: 'email', secret: hashSecret(secret), expire: new Date(Date.now() + 3600_000) });
        return `a_session_${project}=${encodeSession({ id: user.uid, secret })}`;
      };
      const adminCookie = await cookieFor(console, admin);
      const asAdmin = (path: string, init: RequestInit = {}) =>
        fetch(`${api.endpoint}${path}`, { ...init, headers: { 'content-type': 'application/json', 'x-appwrite-project': owned.projectId, 'x-appwrite-mode': 'admin', cookie: adminCookie, ...(init.headers ?? {}) } });

      const listed = await asAdmin('/users');
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { users: { $id: string }[] }).users.map((u) => u.$id)).toEqual(['member1']);
      const created = await asAdmin('/users', { method: 'POST', body: JSON.stringify({ userId: 'by-admin', email: 'by-admin@example.com' }) });
      expect(created.status).toBe(201);
      const usage = await asAdmin('/users/usage?range=7d');
      expect(usage.status).toBe(200);
      expect(((await usage.json()) as { usersCount: { value: number }[] }).usersCount).toHaveLength(7);

      // A user of the project itself holds the `users` role, which lacks users.read.
      const member = (await userRepo.findByUid(owned.projectId, 'member1'))!;
      const memberCookie = await cookieFor(owned.projectId, member);
      const denied = await fetch(`${api.endpoint}/users`, { headers: { 'x-appwrite-project': owned.projectId, cookie: memberCookie } });
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as { type: string }).type).toBe('general_unauthorized_scope');
    });

    it('keeps projects apart: another project key cannot reach these users', async () => {
      const other = await api.seedProject(['users.read', 'users.write']);
      expect(await failure(client(projectId, other.key).get('ann'))).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
      expect(await failure(client(other.projectId, other.key).get('ann'))).toMatchObject({ code: 404, type: 'user_not_found' });
      const created = await client(other.projectId, other.key).create('ann', 'ann@example.com');
      expect(created.$id).toBe('ann');
    });
  });
});
