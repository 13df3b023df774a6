import { randomBytes } from 'node:crypto';

import * as argon2 from 'argon2';
import * as bcrypt from 'bcrypt';
import * as server from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { countRows } from '../../support/identity-db';
import { eventually, failure, keyClient, raw, signedInUser, uniqueEmail, webClient } from '../../support/identity-clients';
import { firebaseScrypt, md5, phpass, scryptHex, sha } from '../../support/identity-hashes';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

describe('identity: Users through node-appwrite with an API key (appconda all)', () => {
  let consoleSession: ConsoleSession;
  let users: server.Users;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('users');
    users = new server.Users(keyClient(consoleSession.projectId, consoleSession.key));
  });

  /** The imported user signs in through the web SDK with the plain password (and not with another). */
  async function expectSignIn(email: string, password: string, userId: string): Promise<void> {
    expect(await webClient(consoleSession.projectId).account.createEmailSession(email, password)).toMatchObject({ userId, provider: 'email' });
    expect(await failure(webClient(consoleSession.projectId).account.createEmailSession(email, `${password}-nope`))).toEqual({ code: 401, type: 'user_invalid_credentials' });
  }

  it('creates a user with a plain password: the full User model, then a web SDK sign-in', async () => {
    const email = uniqueEmail('plain');
    const user = await users.create(server.ID.unique(), email, '+15550002222', 'password1234', 'Plain');
    expect(user).toMatchObject({ email, phone: '+15550002222', name: 'Plain', status: true, emailVerification: false, phoneVerification: false, prefs: {}, hash: 'argon2' });
    expect(user.password).toMatch(/^\$argon2id\$/);
    expect(user.hashOptions).toMatchObject({ memoryCost: expect.any(Number), timeCost: expect.any(Number), threads: expect.any(Number) });
    expect(user.$createdAt).toMatch(DATE);
    expect(user.registration).toMatch(DATE);
    await expectSignIn(email, 'password1234', user.$id);

    expect(await failure(users.create(server.ID.unique(), email, undefined, 'password1234'))).toEqual({ code: 409, type: 'user_already_exists' });
    expect(await failure(users.create(user.$id, uniqueEmail('sameid'), undefined, 'password1234'))).toEqual({ code: 409, type: 'user_already_exists' });
    expect(await failure(users.create(server.ID.unique(), uniqueEmail('phone'), '+15550002222', 'password1234'))).toEqual({ code: 409, type: 'user_already_exists' });
  });

  it('imports argon2, bcrypt, md5, phpass, scrypt, scrypt-modified and every sha version', async () => {
    const pw = `imported-${randomBytes(4).toString('hex')}`;
    const cases: Array<[string, (id: string, email: string) => Promise<server.Models.User<server.Models.Preferences>>]> = [
      ['argon2', async (id, email) => users.createArgon2User(id, email, await argon2.hash(pw), 'Argon')],
      ['bcrypt', async (id, email) => users.createBcryptUser(id, email, await bcrypt.hash(pw, 8), 'Bcrypt')],
      ['bcrypt-2y', async (id, email) => users.createBcryptUser(id, email, (await bcrypt.hash(pw, 8)).replace(/^\$2b\$/, '$2y$'), 'Bcrypt PHP')],
      ['md5', (id, email) => users.createMD5User(id, email, md5(pw), 'Md5')],
      ['phpass', (id, email) => users.createPHPassUser(id, email, phpass(pw), 'Phpass')],
      ['scrypt', (id, email) => users.createScryptUser(id, email, scryptHex(pw, 'salty', 1024, 8, 1, 64), 'salty', 1024, 8, 1, 64, 'Scrypt')],
      [
        'scrypt-modified',
        (id, email) => {
          const salt = randomBytes(10).toString('base64');
          const signer = randomBytes(64).toString('base64');
          return users.createScryptModifiedUser(id, email, firebaseScrypt(pw, salt, 'Bw==', signer), salt, 'Bw==', signer, 'Firebase');
        },
      ],
      ...['sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512'].map(
        (version) => [`sha:${version}`, (id: string, email: string) => users.createSHAUser(id, email, sha(pw, version), version as never, `Sha ${version}`)] as [string, (id: string, email: string) => Promise<server.Models.User<server.Models.Preferences>>],
      ),
    ];
    for (const [label, create] of cases) {
      const email = uniqueEmail(label.replace(/[^a-z0-9]/g, ''));
      const user = await create(server.ID.unique(), email);
      expect({ label, hash: user.hash }).toEqual({ label, hash: label.split(/[-:]/)[0] === 'scrypt' && label.includes('modified') ? 'scryptMod' : label.startsWith('sha') ? 'sha' : label.replace('-2y', '') });
      try {
        await expectSignIn(email, pw, user.$id);
      } catch (e) {
        throw new Error(`${label}: ${(e as Error).message}`);
      }
    }
  });

  it('lists with queries, search and cursors', async () => {
    const tag = randomBytes(3).toString('hex');
    const created = [];
    for (const n of [1, 2, 3]) created.push(await users.create(server.ID.unique(), uniqueEmail(`list${tag}`), undefined, 'password1234', `Lister ${tag} ${n}`));

    const byEmail = await users.list([server.Query.equal('email', created[1].email)]);
    expect(byEmail).toMatchObject({ total: 1, users: [{ $id: created[1].$id }] });

    const searched = await users.list(undefined, `Lister ${tag}`);
    expect(searched.users.map((u) => u.$id).sort()).toEqual(created.map((u) => u.$id).sort());
    // 1.3's full-text search matches word prefixes, ids and emails.
    expect((await users.list(undefined, tag.slice(0, 4))).users.map((u) => u.$id).sort()).toEqual(created.map((u) => u.$id).sort());
    expect((await users.list(undefined, created[2].$id)).users.map((u) => u.$id)).toEqual([created[2].$id]);
    expect((await users.list(undefined, created[0].email)).users.map((u) => u.$id)).toContain(created[0].$id);

    const page1 = await users.list([server.Query.equal('name', created.map((u) => u.name)), server.Query.orderAsc('name'), server.Query.limit(2)]);
    expect(page1.total).toBe(3);
    expect(page1.users.map((u) => u.$id)).toEqual([created[0].$id, created[1].$id]);
    const page2 = await users.list([server.Query.equal('name', created.map((u) => u.name)), server.Query.orderAsc('name'), server.Query.limit(2), server.Query.cursorAfter(page1.users[1].$id)]);
    expect(page2.users.map((u) => u.$id)).toEqual([created[2].$id]);
    const back = await users.list([server.Query.equal('name', created.map((u) => u.name)), server.Query.orderAsc('name'), server.Query.cursorBefore(created[2].$id)]);
    expect(back.users.map((u) => u.$id)).toEqual([created[0].$id, created[1].$id]);

    expect(await failure(users.list([server.Query.cursorAfter('no-such-user')]))).toEqual({ code: 400, type: 'general_cursor_not_found' });
    expect(await failure(users.list(['notAQuery("x")']))).toMatchObject({ code: 400 });
  });

  it('gets and updates a user: name, email, password, phone, prefs, verification flags', async () => {
    const user = await users.create(server.ID.unique(), uniqueEmail('upd'), undefined, 'password1234', 'Before');
    expect(await users.get(user.$id)).toMatchObject({ $id: user.$id, name: 'Before' });
    expect(await failure(users.get('no-such-user'))).toEqual({ code: 404, type: 'user_not_found' });

    expect(await users.updateName(user.$id, 'After')).toMatchObject({ name: 'After' });
    const email = uniqueEmail('upd2');
    expect(await users.updateEmail(user.$id, email)).toMatchObject({ email });
    const other = await users.create(server.ID.unique(), uniqueEmail('other'), undefined, 'password1234');
    expect(await failure(users.updateEmail(user.$id, other.email))).toEqual({ code: 409, type: 'user_email_already_exists' });
    await users.updatePassword(user.$id, 'changed-password');
    await expectSignIn(email, 'changed-password', user.$id);
    expect(await users.updatePhone(user.$id, '+15550003333')).toMatchObject({ phone: '+15550003333' });

    expect(await users.getPrefs(user.$id)).toEqual({});
    expect(await users.updatePrefs(user.$id, { lang: 'tr' })).toEqual({ lang: 'tr' });
    expect(await users.getPrefs(user.$id)).toEqual({ lang: 'tr' });

    expect(await users.updateEmailVerification(user.$id, true)).toMatchObject({ emailVerification: true });
    expect(await users.updatePhoneVerification(user.$id, true)).toMatchObject({ phoneVerification: true });
    expect(await users.get(user.$id)).toMatchObject({ emailVerification: true, phoneVerification: true, name: 'After' });
  });

  it('blocks a user: their live session gets 401 user_blocked, unblocking restores it', async () => {
    const user = await signedInUser(consoleSession.projectId, 'blocked');
    expect(await users.updateStatus(user.userId, false)).toMatchObject({ status: false });
    expect(await failure(user.account.get())).toEqual({ code: 401, type: 'user_blocked' });
    expect(await failure(webClient(consoleSession.projectId).account.createEmailSession(user.email, user.password))).toEqual({ code: 401, type: 'user_blocked' });
    await users.updateStatus(user.userId, true);
    expect(await user.account.get()).toMatchObject({ $id: user.userId, status: true });
  });

  it('lists and deletes sessions (one, then all)', async () => {
    const user = await signedInUser(consoleSession.projectId, 'usess');
    const second = webClient(consoleSession.projectId);
    await second.account.createEmailSession(user.email, user.password);
    const list = await users.listSessions(user.userId);
    expect(list.total).toBe(2);
    expect(list.sessions.every((s) => s.current === false && s.userId === user.userId)).toBe(true);

    await users.deleteSession(user.userId, user.sessionId);
    expect(await failure(user.account.get())).toMatchObject({ code: 401 });
    expect(await second.account.get()).toMatchObject({ $id: user.userId });
    expect(await failure(users.deleteSession(user.userId, 'no-such-session'))).toEqual({ code: 404, type: 'user_session_not_found' });

    await users.deleteSessions(user.userId);
    expect(await failure(second.account.get())).toMatchObject({ code: 401 });
    expect((await users.listSessions(user.userId)).total).toBe(0);
  });

  it('lists a user\'s memberships and logs', async () => {
    const user = await signedInUser(consoleSession.projectId, 'umem');
    const teams = new server.Teams(keyClient(consoleSession.projectId, consoleSession.key));
    const team = await teams.create(server.ID.unique(), 'Users team');
    await teams.createMembership(team.$id, ['member'], 'http://localhost/join', user.email);
    const memberships = await users.listMemberships(user.userId);
    expect(memberships).toMatchObject({ total: 1, memberships: [{ teamId: team.$id, userId: user.userId, roles: ['member'], confirm: true }] });

    await users.updateName(user.userId, 'Audited');
    const logs = await eventually(async () => {
      const list = await users.listLogs(user.userId);
      return list.logs.some((l) => l.event === 'session.create') ? list : undefined;
    }, 'users logs');
    expect(logs.logs[0]).toMatchObject({ time: expect.stringMatching(DATE) });
  });

  it('deletes a user: their sessions, tokens and memberships are gone', async () => {
    const user = await signedInUser(consoleSession.projectId, 'deleted');
    expect(await user.account.get()).toMatchObject({ $id: user.userId });
    await webClient(consoleSession.projectId).account.createEmailSession(user.email, user.password);
    await user.account.createVerification('http://localhost/verify');
    const team = await new server.Teams(keyClient(consoleSession.projectId, consoleSession.key)).create(server.ID.unique(), 'Doomed membership');
    await new server.Teams(keyClient(consoleSession.projectId, consoleSession.key)).createMembership(team.$id, ['member'], 'http://localhost/join', user.email);
    expect(await countRows('sessions', consoleSession.projectId, 'userId', user.userId)).toBe(2);
    await users.delete(user.userId);
    expect(await failure(user.account.get())).toMatchObject({ code: 401 });
    // worker-deletes (or the API) removes what belonged to the user.
    for (const table of ['sessions', 'tokens', 'memberships'] as const) {
      await eventually(async () => (await countRows(table, consoleSession.projectId, 'userId', user.userId)) === 0, `${table} of the deleted user to be removed`);
    }
    expect((await new server.Teams(keyClient(consoleSession.projectId, consoleSession.key)).get(team.$id)).total).toBe(0);
    expect(await failure(users.get(user.userId))).toEqual({ code: 404, type: 'user_not_found' });
    expect(await failure(users.listSessions(user.userId))).toEqual({ code: 404, type: 'user_not_found' });
    // The same email can sign up again and does not inherit anything.
    const again = webClient(consoleSession.projectId);
    const fresh = await again.account.create(server.ID.unique(), user.email, user.password);
    await again.account.createEmailSession(user.email, user.password);
    expect((await again.account.listSessions()).total).toBe(1);
    expect(fresh.$id).not.toBe(user.userId);
  });

  describe('deny cases', () => {
    let stranger: ConsoleSession;
    let readOnlyKey: string;
    let victim: server.Models.User<server.Models.Preferences>;

    beforeAll(async () => {
      stranger = await bootstrapConsole('users-stranger');
      const key = await consoleSession.call<{ secret: string }>('POST', `/projects/${consoleSession.projectId}/keys`, { name: 'read only', scopes: ['users.read'] });
      expect(key.status).toBe(201);
      readOnlyKey = key.body.secret;
      victim = await users.create(server.ID.unique(), uniqueEmail('victim'), undefined, 'password1234');
    });

    it('refuses a call without a key', async () => {
      const res = await raw('GET', '/users', { 'x-appwrite-project': consoleSession.projectId });
      expect([res.status, res.body.type]).toEqual([401, 'general_unauthorized_scope']);
    });

    it('refuses the key of another project', async () => {
      const foreign = new server.Users(keyClient(consoleSession.projectId, stranger.key));
      expect(await failure(foreign.list())).toEqual({ code: 401, type: 'general_unauthorized_scope' });
      expect(await failure(foreign.get(victim.$id))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
      // ...and the other project does not see this project's users with its own key.
      expect(await failure(new server.Users(keyClient(stranger.projectId, stranger.key)).get(victim.$id))).toEqual({ code: 404, type: 'user_not_found' });
    });

    it('refuses writes with a users.read key', async () => {
      const reader = new server.Users(keyClient(consoleSession.projectId, readOnlyKey));
      expect(await reader.get(victim.$id)).toMatchObject({ $id: victim.$id });
      expect(await failure(reader.create(server.ID.unique(), uniqueEmail('nope'), undefined, 'password1234'))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
      expect(await failure(reader.updateName(victim.$id, 'x'))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
      expect(await failure(reader.delete(victim.$id))).toEqual({ code: 401, type: 'general_unauthorized_scope' });
    });

    it('refuses a signed-in user (session, not a key)', async () => {
      const user = await signedInUser(consoleSession.projectId, 'nokey');
      const res = await raw('GET', '/users', { 'x-appwrite-project': consoleSession.projectId, 'x-fallback-cookies': user.store.get('cookieFallback')! });
      expect([res.status, res.body.type]).toEqual([401, 'general_unauthorized_scope']);
    });
  });

  it('echoes the SHA version in hashOptions (1.3 shows the stored options)', async () => {
    const pw = `sha-${randomBytes(4).toString('hex')}`;
    const user = await users.createSHAUser(server.ID.unique(), uniqueEmail('shaver'), sha(pw, 'sha512'), 'sha512' as never);
    expect(user).toMatchObject({ hash: 'sha', hashOptions: { type: 'sha', version: 'sha512' } });
    expect((await users.get(user.$id)).hashOptions).toEqual({ type: 'sha', version: 'sha512' });
    const scrypt = await users.createScryptUser(server.ID.unique(), uniqueEmail('scryptopts'), scryptHex(pw, 'salty', 1024, 8, 1, 64), 'salty', 1024, 8, 1, 64);
    expect(scrypt.hashOptions).toEqual({ type: 'scrypt', salt: 'salty', costCpu: 1024, costMemory: 8, costParallel: 1, length: 64 });
  });

  it('upgrades bcrypt, md5, sha, phpass, scrypt and scrypt-modified hashes to argon2 on the first email login', async () => {
    const pw = `upgrade-${randomBytes(4).toString('hex')}`;
    const salt = randomBytes(10).toString('base64');
    const signer = randomBytes(64).toString('base64');
    const imports: Array<[string, (id: string, email: string) => Promise<server.Models.User<server.Models.Preferences>>]> = [
      ['bcrypt', async (id, email) => users.createBcryptUser(id, email, await bcrypt.hash(pw, 8))],
      ['md5', (id, email) => users.createMD5User(id, email, md5(pw))],
      ['sha', (id, email) => users.createSHAUser(id, email, sha(pw, 'sha1'), 'sha1' as never)],
      ['phpass', (id, email) => users.createPHPassUser(id, email, phpass(pw))],
      ['scrypt', (id, email) => users.createScryptUser(id, email, scryptHex(pw, 'salty', 1024, 8, 1, 64), 'salty', 1024, 8, 1, 64)],
      ['scryptMod', (id, email) => users.createScryptModifiedUser(id, email, firebaseScrypt(pw, salt, 'Bw==', signer), salt, 'Bw==', signer)],
    ];
    for (const [algo, create] of imports) {
      const email = uniqueEmail(`up${algo.toLowerCase()}`);
      const imported = await create(server.ID.unique(), email);
      expect({ algo, hash: imported.hash }).toEqual({ algo, hash: algo });
      // A wrong password changes nothing.
      expect(await failure(webClient(consoleSession.projectId).account.createEmailSession(email, `${pw}-nope`))).toEqual({ code: 401, type: 'user_invalid_credentials' });
      expect((await users.get(imported.$id)).password).toBe(imported.password);

      expect(await webClient(consoleSession.projectId).account.createEmailSession(email, pw)).toMatchObject({ userId: imported.$id, provider: 'email' });
      const upgraded = await users.get(imported.$id);
      expect({ algo, hash: upgraded.hash, hashOptions: upgraded.hashOptions }).toEqual({ algo, hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } });
      expect(upgraded.password).toMatch(/^\$argon2id\$v=19\$m=2048,t=4,p=3\$/);
      expect(await argon2.verify(upgraded.password ?? '', pw)).toBe(true);
      // The new hash signs in; the next login leaves it as it is.
      await expectSignIn(email, pw, imported.$id);
      expect((await users.get(imported.$id)).password).toBe(upgraded.password);
    }
  });

  it('leaves an imported argon2 hash as it is on login (1.3 re-hashes other algorithms only)', async () => {
    const pw = `argon-${randomBytes(4).toString('hex')}`;
    const email = uniqueEmail('keepargon');
    const imported = await users.createArgon2User(server.ID.unique(), email, await argon2.hash(pw, { memoryCost: 4096, timeCost: 2 }));
    expect(imported.hashOptions).toEqual({ type: 'argon2' });
    await expectSignIn(email, pw, imported.$id);
    expect(await users.get(imported.$id)).toMatchObject({ password: imported.password, hash: 'argon2', hashOptions: { type: 'argon2' } });
  });
});
