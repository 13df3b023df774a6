import { AddressInfo } from 'node:net';
import { AppConfig } from '@appconda/config';
import { MailJob, QueueName } from '@appconda/contracts';
import { MailService, MailsJobHandler, readMessagingSettings } from '@appconda/messaging';
import { AuditRepository, PlatformRepository, ProjectRepository, SessionRepository, UserRepository } from '@appconda/database';
import { QueueRegistry } from '@appconda/queue';
import { createTestApi, TestApi, UserFactory } from '@appconda/testing';
import type { Job } from 'bull';
import { createHash } from 'node:crypto';
import { SMTPServer } from 'smtp-server';

import { AccountApiModule } from './account-api.module';

// The web SDK keeps X-Fallback-Cookies in window.localStorage: give Node a window with a real store.
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.has(key) ? (this.items.get(key) as string) : null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}
const storage = new MemoryStorage();
Object.assign(globalThis, { window: globalThis, localStorage: storage });

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the window polyfill above, which it probes at call time
const web = require('appwrite') as typeof import('appwrite');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS SDK without bundled types for this import style
const server = require('node-appwrite');

const APP_HOST = 'app.example.com';
const ACCOUNT_KEYS = ['$createdAt', '$id', '$updatedAt', 'email', 'emailVerification', 'name', 'passwordUpdate', 'phone', 'phoneVerification', 'prefs', 'registration', 'status'];
const SESSION_KEYS = [
  '$createdAt',
  '$id',
  'clientCode',
  'clientEngine',
  'clientEngineVersion',
  'clientName',
  'clientType',
  'clientVersion',
  'countryCode',
  'countryName',
  'current',
  'deviceBrand',
  'deviceModel',
  'deviceName',
  'expire',
  'ip',
  'osCode',
  'osName',
  'osVersion',
  'provider',
  'providerAccessToken',
  'providerAccessTokenExpiry',
  'providerRefreshToken',
  'providerUid',
  'userId',
];
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

/** A loopback SMTP server keeping raw messages, decoded from quoted-printable for assertions. */
async function startSmtp(): Promise<{ port: number; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16))));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return { port: (smtp.server.address() as AddressInfo).port, messages, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

type Inject = Awaited<ReturnType<TestApi['app']['inject']>>;

describe('Account API (web SDK appwrite@11 in Node, node-appwrite@9 with JWT)', () => {
  let api: TestApi;
  let projectId: string;
  let apiKey: string;
  let warn: jest.SpyInstance;

  let nextIp = 1;
  /**
   * A fresh browser: empty localStorage (the SDK's store is global, so this also logs out any earlier
   * one) and its own client IP, so per-IP limits (10 sign-ups per hour) do not trip across tests.
   */
  const browser = (project = projectId) => {
    storage.clear();
    const client = new web.Client().setEndpoint(api.endpoint).setProject(project);
    const ip = `10.1.${Math.floor(nextIp / 250)}.${(nextIp % 250) + 1}`;
    nextIp += 1;
    (client as unknown as { headers: Record<string, string> }).headers['X-Forwarded-For'] = ip;
    return { client, account: new web.Account(client), ip };
  };

  const expectError = async (promise: Promise<unknown>, code: number, type: string) => {
    await expect(promise).rejects.toMatchObject({ code, type });
  };

  const signUp = async (email = `${Math.random().toString(36).slice(2)}@example.com`, password = 'password123', name = 'Jane Doe') => {
    const { account } = browser();
    const user = await account.create(web.ID.unique(), email, password, name);
    return { user, email, password };
  };

  const login = async (email: string, password: string, project = projectId) => {
    const { client, account, ip } = browser(project);
    const session = await account.createEmailSession(email, password);
    return { client, account, session, ip };
  };

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, options: { payload?: object; headers?: Record<string, string>; project?: string } = {}): Promise<Inject> =>
    api.app.inject({
      method,
      url: `/v1${url}`,
      payload: options.payload,
      headers: { 'x-appwrite-project': options.project ?? projectId, 'content-type': 'application/json', ...options.headers },
    });

  const queued = async (queue: QueueName, match: (data: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
    const bull = api.app.get(QueueRegistry, { strict: false }).get(queue);
    const jobs = (await bull.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])) as Job<Record<string, unknown>>[];
    const job = jobs.find((candidate) => candidate && match(candidate.data));
    if (!job) throw new Error(`no ${queue} job matched; queued: ${JSON.stringify(jobs.map((j) => j?.data))}`);
    return job.data;
  };

  beforeAll(async () => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    api = await createTestApi([AccountApiModule], {
      env: {
        _APP_OPTIONS_ABUSE: 'enabled',
        _APP_SMTP_HOST: '127.0.0.1',
        _APP_SMS_PROVIDER: 'sms://user:secret@mock',
        _APP_SMS_FROM: '+15550100',
        _APP_OPENSSL_KEY_V1: 'account-int-spec-key',
      },
    });
    const seeded = await api.seedProject(['users.read', 'users.write'], { name: 'Acme' });
    projectId = seeded.projectId;
    apiKey = seeded.key;
    await api.app.get(PlatformRepository).create(projectId, { uid: 'web1', type: 'web', name: 'Web app', hostname: APP_HOST, key: null, store: null });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    warn?.mockRestore();
  });

  it('signs up, answers the account model, and refuses duplicates, short passwords and API keys', async () => {
    const { user, email } = await signUp(undefined, 'password123', 'Jane Doe');
    expect(Object.keys(user).sort()).toEqual(ACCOUNT_KEYS);
    expect(user).toMatchObject({ name: 'Jane Doe', email, phone: '', status: true, emailVerification: false, phoneVerification: false, prefs: {} });
    expect(user.$id).toMatch(/^[0-9a-f]{20}$/);
    for (const key of ['$createdAt', '$updatedAt', 'registration', 'passwordUpdate'] as const) expect(user[key]).toMatch(DATE);

    await expectError(browser().account.create(web.ID.unique(), email.toUpperCase(), 'password123'), 409, 'user_already_exists');
    await expect(browser().account.create(web.ID.unique(), 'x@example.com', 'short')).rejects.toMatchObject({ code: 400, type: 'general_argument_invalid', message: 'Invalid password: Password must be at least 8 characters' });

    const keyCall = await inject('POST', '/account', { payload: { userId: 'unique()', email: 'k@example.com', password: 'password123' }, headers: { 'x-appwrite-key': apiKey } });
    expect(keyCall.statusCode).toBe(401);
    expect(keyCall.json()).toMatchObject({ type: 'general_unauthorized_scope' });
  });

  it('refuses guests on account routes', async () => {
    await expectError(browser().account.get(), 401, 'general_unauthorized_scope');
    await expectError(browser().account.listSessions(), 401, 'general_unauthorized_scope');
  });

  it('logs in by email: session model, fallback cookie replayed by the SDK, wrong password refused', async () => {
    const { email, password, user } = await signUp();
    const { account, session, ip } = await login(email, password);
    expect(Object.keys(session).sort()).toEqual(SESSION_KEYS);
    expect(session).toMatchObject({ userId: user.$id, provider: 'email', providerUid: email, current: true, countryCode: '--', countryName: 'Unknown', ip });
    expect(session.expire).toMatch(DATE);
    expect(JSON.parse(storage.getItem('cookieFallback') ?? '{}')).toEqual({ [`a_session_${projectId}`]: expect.any(String) });
    expect((await account.get()).$id).toBe(user.$id);

    await expectError(browser().account.createEmailSession(email, 'wrong-password'), 401, 'user_invalid_credentials');
    await expectError(browser().account.createEmailSession('nobody@example.com', 'password123'), 401, 'user_invalid_credentials');
  });

  it('re-hashes an imported md5 password to argon2 on the first email login, in the session’s transaction', async () => {
    const users = api.app.get(UserRepository);
    const password = 'imported-md5-password';
    const md5 = createHash('md5').update(password).digest('hex');
    const imported = await UserFactory.from({ password: md5, hash: 'md5', hashOptions: { type: 'md5' }, status: true }).create(users, projectId);
    // The session insert fails: the upgrade rolls back with it and the md5 hash stays.
    const failing = jest.spyOn(SessionRepository.prototype, 'create').mockRejectedValueOnce(new Error('session insert failed'));
    await expectError(browser().account.createEmailSession(imported.email!, password), 500, 'general_unknown');
    failing.mockRestore();
    expect(await users.findByUid(projectId, imported.uid)).toMatchObject({ password: md5, hash: 'md5', hashOptions: { type: 'md5' } });

    const { session } = await login(imported.email!, password);
    expect(session.userId).toBe(imported.uid);
    const upgraded = (await users.findByUid(projectId, imported.uid))!;
    expect(upgraded).toMatchObject({ hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } });
    expect(upgraded.password).toMatch(/^\$argon2id\$v=19\$m=2048,t=4,p=3\$/);
    // Argon2 users are left alone: the next login keeps the very same hash.
    await login(imported.email!, password);
    expect((await users.findByUid(projectId, imported.uid))!.password).toBe(upgraded.password);
  });

  it('sets both session cookies with Appwrite’s attributes, and the fallback header only for cross-site callers', async () => {
    const { email, password } = await signUp();
    const local = await inject('POST', '/account/sessions/email', { payload: { email, password } });
    expect(local.statusCode).toBe(201);
    const cookies = local.headers['set-cookie'] as string[];
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(new RegExp(`^a_session_${projectId}=[^;]+; Expires=[^;]+ GMT; Path=/; HttpOnly; SameSite=None$`));
    expect(cookies[1]).toMatch(new RegExp(`^a_session_${projectId}_legacy=[^;]+; Expires=[^;]+ GMT; Path=/; HttpOnly$`));
    const value = decodeURIComponent(cookies[0].split(';')[0].split('=')[1]);
    expect(JSON.parse(Buffer.from(value, 'base64').toString())).toEqual({ id: local.json().userId, secret: expect.stringMatching(/^[0-9a-f]{256}$/) });
    expect(JSON.parse(local.headers['x-fallback-cookies'] as string)).toEqual({ [`a_session_${projectId}`]: value });

    // A registered web origin on the API's own site gets cookies for the domain and no fallback.
    const sameSite = await inject('POST', '/account/sessions/email', { payload: { email, password }, headers: { host: 'api.example.com', origin: `https://${APP_HOST}`, 'x-forwarded-proto': 'https' } });
    expect(sameSite.statusCode).toBe(201);
    expect(sameSite.headers['x-fallback-cookies']).toBeUndefined();
    expect((sameSite.headers['set-cookie'] as string[])[0]).toMatch(/; Path=\/; Domain=\.api\.example\.com; Secure; HttpOnly; SameSite=None$/);

    // The cookie alone authenticates.
    const me = await inject('GET', '/account', { headers: { cookie: cookies[0].split(';')[0] } });
    expect(me.json().email).toBe(email);
  });

  it('lists, gets, refreshes and deletes sessions; logout expires the cookies and clears the fallback', async () => {
    const { email, password, user } = await signUp();
    const first = await login(email, password);
    const { account, session } = await login(email, password);
    const list = await account.listSessions();
    expect(list.total).toBe(2);
    expect(list.sessions.map((s) => [s.$id, s.current])).toEqual([
      [first.session.$id, false],
      [session.$id, true],
    ]);
    expect(await account.getSession('current')).toMatchObject({ $id: session.$id, current: true, userId: user.$id });
    expect(await account.getSession(first.session.$id)).toMatchObject({ $id: first.session.$id, current: false });
    await expectError(account.getSession('missing'), 404, 'user_session_not_found');
    await expectError(account.updateSession('current'), 501, 'project_provider_unsupported');

    await account.deleteSession(first.session.$id);
    expect((await account.listSessions()).total).toBe(1);

    // Raw logout of the current session: expired cookies and `X-Fallback-Cookies: []`.
    const fallback = storage.getItem('cookieFallback') as string;
    const logout = await inject('DELETE', '/account/sessions/current', { headers: { 'x-fallback-cookies': fallback } });
    expect(logout.statusCode).toBe(204);
    expect(logout.body).toBe('');
    expect(logout.headers['x-fallback-cookies']).toBe('[]');
    expect(logout.headers['set-cookie']).toEqual([
      expect.stringMatching(new RegExp(`^a_session_${projectId}=; Expires=.* GMT; Path=/; HttpOnly; SameSite=None$`)),
      expect.stringMatching(new RegExp(`^a_session_${projectId}_legacy=; Expires=.* GMT; Path=/; HttpOnly$`)),
    ]);
    await expectError(account.get(), 401, 'general_unauthorized_scope');
  });

  it('deletes the current session through the SDK, which then stores the cleared fallback', async () => {
    const { email, password } = await signUp();
    const { account } = await login(email, password);
    await account.deleteSession('current');
    expect(storage.getItem('cookieFallback')).toBe('[]');
    await expectError(account.get(), 401, 'general_unauthorized_scope');
  });

  it('deletes all sessions', async () => {
    const { email, password } = await signUp();
    await login(email, password);
    const { account } = await login(email, password);
    await account.deleteSessions();
    await expectError(account.get(), 401, 'general_unauthorized_scope');
    const again = await login(email, password);
    expect((await again.account.listSessions()).total).toBe(1);
  });

  it('creates anonymous sessions for guests only, never on the console', async () => {
    const { account } = browser();
    const session = await account.createAnonymousSession();
    expect(session).toMatchObject({ provider: 'anonymous', providerUid: '', current: true });
    const me = await account.get();
    expect(me).toMatchObject({ $id: session.userId, email: '', name: '', passwordUpdate: '' });
    await expectError(account.createAnonymousSession(), 401, 'user_session_already_exists');

    // An anonymous account becomes a real one by setting email and its first password.
    const converted = await account.updateEmail('anon@example.com', 'password123');
    expect(converted).toMatchObject({ email: 'anon@example.com', emailVerification: false });
    expect(converted.passwordUpdate).toMatch(DATE);
    expect((await login('anon@example.com', 'password123')).session.userId).toBe(session.userId);
    await expectError(browser('console').account.createAnonymousSession(), 401, 'user_anonymous_console_prohibited');
  });

  it('issues a JWT that node-appwrite uses to act as the user', async () => {
    const { email, password, user } = await signUp();
    const { account, session } = await login(email, password);
    const { jwt } = await account.createJWT();
    expect(jwt.split('.')).toHaveLength(3);
    const client = new server.Client().setEndpoint(api.endpoint).setProject(projectId).setJWT(jwt);
    const serverAccount = new server.Account(client);
    expect(await serverAccount.get()).toMatchObject({ $id: user.$id, email });
    const sessions = await serverAccount.listSessions();
    expect(sessions.sessions.find((s: { $id: string }) => s.$id === session.$id)).toMatchObject({ current: true });
    expect((await serverAccount.updateName('Via JWT')).name).toBe('Via JWT');

    const bad = new server.Account(new server.Client().setEndpoint(api.endpoint).setProject(projectId).setJWT(`${jwt}x`));
    await expect(bad.get()).rejects.toMatchObject({ code: 401, type: 'user_jwt_invalid' });
  });

  it('updates name, email, phone, password and prefs', async () => {
    const other = await signUp();
    const { email, password, user } = await signUp();
    const { account } = await login(email, password);
    expect(await account.updateName('New Name')).toMatchObject({ $id: user.$id, name: 'New Name' });

    await expectError(account.updateEmail('changed@example.com', 'wrong-password'), 401, 'user_invalid_credentials');
    const changed = `c${Date.now()}@example.com`;
    expect(await account.updateEmail(changed.toUpperCase(), password)).toMatchObject({ email: changed, emailVerification: false });
    await expectError(account.updateEmail(other.email, password), 409, 'user_email_already_exists');

    const phone = `+1555${String(Date.now()).slice(-7)}`;
    expect(await account.updatePhone(phone, password)).toMatchObject({ phone, phoneVerification: false });
    await expect(account.updatePhone('12345', password)).rejects.toMatchObject({ code: 400, type: 'general_argument_invalid' });

    await expectError(account.updatePassword('brand-new-pass', 'wrong-password'), 401, 'user_invalid_credentials');
    await expectError(account.updatePassword('brand-new-pass'), 401, 'user_invalid_credentials');
    const updated = await account.updatePassword('brand-new-pass', password);
    expect(Object.keys(updated).sort()).toEqual(ACCOUNT_KEYS);
    await expectError(browser().account.createEmailSession(changed, password), 401, 'user_invalid_credentials');
    await login(changed, 'brand-new-pass');

    const { account: again } = await login(changed, 'brand-new-pass');
    expect(await again.getPrefs()).toEqual({});
    expect((await again.updatePrefs({ theme: 'dark', nested: { a: 1 } })).prefs).toEqual({ theme: 'dark', nested: { a: 1 } });
    expect(await again.getPrefs()).toEqual({ theme: 'dark', nested: { a: 1 } });
  });

  it('blocks the account itself: cookies expire and the user is refused from then on', async () => {
    const { email, password } = await signUp();
    const { account } = await login(email, password);
    const fallback = storage.getItem('cookieFallback') as string;
    const blocked = await inject('PATCH', '/account/status', { headers: { 'x-fallback-cookies': fallback } });
    expect(blocked.statusCode).toBe(200);
    expect(blocked.json()).toMatchObject({ status: false, email });
    expect((blocked.headers['set-cookie'] as string[])[0]).toMatch(new RegExp(`^a_session_${projectId}=; Expires=`));
    await expectError(account.get(), 401, 'user_blocked');
    await expectError(browser().account.createEmailSession(email, password), 401, 'user_blocked');

    // The same through the SDK.
    const second = await signUp();
    const { account: own } = await login(second.email, second.password);
    expect(await own.updateStatus()).toMatchObject({ $id: second.user.$id, status: false });
    await expectError(own.get(), 401, 'user_blocked');
  });

  it('still serves the pre-1.0 email session path POST /v1/account/sessions', async () => {
    const { email, password, user } = await signUp();
    const legacy = await inject('POST', '/account/sessions', { payload: { email, password } });
    expect(legacy.statusCode).toBe(201);
    expect(legacy.json()).toMatchObject({ userId: user.$id, provider: 'email', current: true });
    expect(legacy.headers['set-cookie']).toHaveLength(2);
  });

  it('logs in by magic URL: token mailed with the link, redeemed for a session', async () => {
    const email = `magic${Date.now()}@example.com`;
    const { account } = browser();
    const token = await account.createMagicURLSession(web.ID.unique(), email, `https://${APP_HOST}/magic?from=mail`);
    expect(Object.keys(token).sort()).toEqual(['$createdAt', '$id', 'expire', 'secret', 'userId']);
    expect(token.secret).toBe('');
    const expire = new Date(token.expire).getTime() - new Date(token.$createdAt).getTime();
    expect(Math.round(expire / 1000)).toBe(3600);

    const job = await queued(QueueName.Mails, (data) => data.recipient === email);
    expect(job).toMatchObject({ template: 'magicSession', locale: 'en', projectId, variables: { project: 'Acme', user: '' } });
    const link = new URL((job.variables as Record<string, string>).link);
    expect(link.origin + link.pathname).toBe(`https://${APP_HOST}/magic`);
    expect(Object.fromEntries(link.searchParams)).toEqual({ from: 'mail', userId: token.userId, secret: expect.stringMatching(/^[0-9a-f]{256}$/), expire: token.expire, project: projectId });

    await expectError(account.updateMagicURLSession(token.userId, 'wrong'), 401, 'user_invalid_token');
    const session = await account.updateMagicURLSession(token.userId, link.searchParams.get('secret') as string);
    expect(session).toMatchObject({ provider: 'magic-url', providerUid: email, userId: token.userId, current: true });
    expect(await account.get()).toMatchObject({ email, emailVerification: true });
    // Single use.
    await expectError(browser().account.updateMagicURLSession(token.userId, link.searchParams.get('secret') as string), 401, 'user_invalid_token');

    await expect(browser().account.createMagicURLSession(web.ID.unique(), email, 'https://evil.test/x')).rejects.toMatchObject({
      code: 400,
      type: 'general_argument_invalid',
      message: `Invalid url: URL host must be one of: localhost, 127.0.0.1, ${APP_HOST}`,
    });
  });

  it('logs in by phone: 6-digit code by SMS, redeemed for a session', async () => {
    const phone = `+1444${String(Date.now()).slice(-7)}`;
    const { account } = browser();
    const token = await account.createPhoneSession(web.ID.unique(), phone);
    expect(token.secret).toBe('');
    const job = await queued(QueueName.Messaging, (data) => data.recipient === phone);
    const code = /\b(\d{6})\b/.exec(job.message as string)?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(job.message).toContain('Acme');

    const session = await account.updatePhoneSession(token.userId, code);
    expect(session).toMatchObject({ provider: 'phone', providerUid: phone, userId: token.userId });
    expect(await account.get()).toMatchObject({ phone, phoneVerification: true, email: '' });
  });

  it('verifies the email through the mailed link', async () => {
    const { email, password, user } = await signUp();
    const { account } = await login(email, password);
    await expect(account.createVerification('https://evil.test/verify')).rejects.toMatchObject({ code: 400, type: 'general_argument_invalid' });
    const token = await account.createVerification(`https://${APP_HOST}/verify`);
    expect(token).toMatchObject({ userId: user.$id, secret: '' });
    const days = (new Date(token.expire).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);

    const job = await queued(QueueName.Mails, (data) => data.recipient === email && data.template === 'verification');
    expect(job).toMatchObject({ name: 'Jane Doe', variables: { project: 'Acme', user: 'Jane Doe' } });
    const link = new URL((job.variables as Record<string, string>).link);
    expect([...link.searchParams.keys()].sort()).toEqual(['expire', 'secret', 'userId']);

    // The confirming click usually comes without a session.
    const guest = browser().account;
    await expectError(guest.updateVerification(user.$id, 'wrong'), 401, 'user_invalid_token');
    const confirmed = await guest.updateVerification(user.$id, link.searchParams.get('secret') as string);
    expect(confirmed).toMatchObject({ $id: token.$id, userId: user.$id });
    expect((await (await login(email, password)).account.get()).emailVerification).toBe(true);
  });

  it('verifies the phone by SMS code, and needs a phone number', async () => {
    const { email, password, user } = await signUp();
    const { account } = await login(email, password);
    await expectError(account.createPhoneVerification(), 400, 'user_phone_not_found');
    const phone = `+1333${String(Date.now()).slice(-7)}`;
    await account.updatePhone(phone, password);
    const token = await account.createPhoneVerification();
    const job = await queued(QueueName.Messaging, (data) => data.recipient === phone);
    const code = /\b(\d{6})\b/.exec(job.message as string)?.[1] as string;
    await account.updatePhoneVerification(user.$id, code);
    expect((await account.get()).phoneVerification).toBe(true);
    expect(token.userId).toBe(user.$id);
  });

  it('recovers a password through the mailed link', async () => {
    const { email, password, user } = await signUp();
    const guest = browser().account;
    await expectError(guest.createRecovery('nobody@example.com', `https://${APP_HOST}/reset`), 404, 'user_not_found');
    const token = await guest.createRecovery(email, `https://${APP_HOST}/reset`);
    expect(token).toMatchObject({ userId: user.$id, secret: '' });
    const job = await queued(QueueName.Mails, (data) => data.recipient === email && data.template === 'recovery');
    const link = (job.variables as Record<string, string>).link;
    const secret = new URL(link).searchParams.get('secret') as string;

    // The mails worker's handler delivers this very job; the mail carries the link.
    const smtp = await startSmtp();
    const mailer = new MailService(readMessagingSettings(new AppConfig({ _APP_SMTP_HOST: '127.0.0.1', _APP_SMTP_PORT: String(smtp.port), _APP_SYSTEM_EMAIL_ADDRESS: 'no-reply@acme.test' })));
    try {
      await new MailsJobHandler(mailer).handle(job as unknown as MailJob);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]).toContain(`To: Jane Doe <${email}>`);
      expect(smtp.messages[0]).toContain(link);
    } finally {
      mailer.onModuleDestroy();
      await smtp.close();
    }

    await expectError(guest.updateRecovery(user.$id, secret, 'new-password-1', 'new-password-2'), 400, 'user_password_mismatch');
    await expectError(guest.updateRecovery(user.$id, 'wrong', 'new-password-1', 'new-password-1'), 401, 'user_invalid_token');
    await guest.updateRecovery(user.$id, secret, 'new-password-1', 'new-password-1');
    await expectError(browser().account.createEmailSession(email, password), 401, 'user_invalid_credentials');
    const { account } = await login(email, 'new-password-1');
    expect((await account.get()).emailVerification).toBe(true);
    await expectError(browser().account.updateRecovery(user.$id, secret, 'again-password', 'again-password'), 401, 'user_invalid_token');
  });

  it('lists the user’s audit logs with limit and offset', async () => {
    const { email, password, user } = await signUp();
    const audits = api.app.get(AuditRepository);
    const userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
    await audits.insert(projectId, { id: `a1-${user.$id}`, event: 'session.create', userId: user.$id, userName: 'Jane Doe', userEmail: email, mode: 'default', ip: '10.0.0.1', userAgent, time: new Date(Date.now() - 1000) });
    await audits.insert(projectId, { id: `a2-${user.$id}`, event: 'user.update', userId: user.$id, userName: 'Jane Doe', userEmail: email, mode: 'default', ip: '10.0.0.2', userAgent, time: new Date() });
    const { account } = await login(email, password);
    const all = await account.listLogs();
    expect(all.total).toBe(2);
    expect(all.logs.map((log) => log.event)).toEqual(['user.update', 'session.create']);
    expect(all.logs[0]).toMatchObject({ userId: user.$id, userEmail: email, userName: 'Jane Doe', mode: 'default', ip: '10.0.0.2', osName: 'Mac', clientName: 'Chrome', countryCode: '--', countryName: 'Unknown' });
    const page = await account.listLogs([web.Query.limit(1), web.Query.offset(1)]);
    expect(page).toMatchObject({ total: 2, logs: [{ event: 'session.create' }] });
    await expectError(account.listLogs([web.Query.equal('event', 'x')]), 400, 'general_argument_invalid');
  });

  it('keeps at most auths.maxSessions sessions, dropping the oldest', async () => {
    const { projectId: limited } = await api.seedProject([], { name: 'Limited', auths: { limit: 0, duration: 31536000, maxSessions: 2 } });
    const { account: signup } = browser(limited);
    await signup.create(web.ID.unique(), 'max@example.com', 'password123');
    const first = await login('max@example.com', 'password123', limited);
    await login('max@example.com', 'password123', limited);
    const { account } = await login('max@example.com', 'password123', limited);
    const { total, sessions } = await account.listSessions();
    expect(total).toBe(2);
    expect(sessions.map((s) => s.$id)).not.toContain(first.session.$id);
  });

  it('refuses disabled auth methods and enforces the user limit', async () => {
    const { projectId: closed } = await api.seedProject([], { name: 'Closed', auths: { limit: 1, methods: { emailPassword: false, anonymous: true } } });
    await expectError(browser(closed).account.create(web.ID.unique(), 'closed@example.com', 'password123'), 501, 'user_auth_method_unsupported');
    await expectError(browser(closed).account.createEmailSession('closed@example.com', 'password123'), 501, 'user_auth_method_unsupported');
    await browser(closed).account.createAnonymousSession();
    await expectError(browser(closed).account.createAnonymousSession(), 501, 'user_count_exceeded');
  });

  it('caps the console at its root user', async () => {
    await browser('console').account.create(web.ID.unique(), 'root@example.com', 'password123');
    await expectError(browser('console').account.create(web.ID.unique(), 'second@example.com', 'password123'), 501, 'user_count_exceeded');
  });

  it('rate-limits email sessions per email: 429 with the X-RateLimit headers', async () => {
    const payload = { email: 'limited@example.com', password: 'password123' };
    let last: Inject | undefined;
    for (let i = 1; i <= 10; i += 1) {
      last = await inject('POST', '/account/sessions/email', { payload });
      expect(last.statusCode).toBe(401);
      expect(last.headers['x-ratelimit-remaining']).toBe(String(10 - i));
    }
    const blocked = await inject('POST', '/account/sessions/email', { payload });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ type: 'general_rate_limit_exceeded', code: 429 });
    expect(blocked.headers['x-ratelimit-limit']).toBe('10');
    expect(blocked.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(blocked.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    // Another email is counted on its own.
    expect((await inject('POST', '/account/sessions/email', { payload: { ...payload, email: 'other-limited@example.com' } })).statusCode).toBe(401);
  });

  it('keeps data per project: a session of one project is no session in another', async () => {
    const { email, password } = await signUp();
    await login(email, password);
    const fallback = storage.getItem('cookieFallback') as string;
    const { projectId: other } = await api.seedProject([], { name: 'Other' });
    const call = await inject('GET', '/account', { project: other, headers: { 'x-fallback-cookies': fallback } });
    expect(call.statusCode).toBe(401);
    expect(await api.app.get(UserRepository).findByEmail(other, email)).toBeNull();
    expect(await api.app.get(ProjectRepository).findByUid('console', other)).not.toBeNull();
  });
});
