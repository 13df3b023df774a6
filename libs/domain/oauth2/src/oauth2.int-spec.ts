import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AccountApiModule } from '@appconda/account';
import { PlatformRepository, ProjectRepository, SessionRepository, UserRepository } from '@appconda/database';
import { ProjectContextService } from '@appconda/identity';
import { createTestApi, TestApi } from '@appconda/testing';
import { AppEvent, EventBus } from '@appconda/transport';

import { OAuth2ApiModule } from './oauth2-api.module';
import { OAuth2ProviderRegistry } from './providers/registry';

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

const APP_HOST = 'app.example.test';
const SUCCESS = `http://${APP_HOST}/welcome?from=oauth`;
const FAILURE = `http://${APP_HOST}/sorry`;

interface ProviderProfile {
  id: number;
  login: string;
  name: string;
  email: string;
}

/**
 * A GitHub-shaped OAuth2 provider on loopback: /authorize sends the browser straight back with a
 * code, /token trades codes (and refresh tokens) for tokens, /user and /emails describe the user.
 */
class FakeProvider {
  server!: Server;
  base = '';
  profile: ProviderProfile = { id: 4242, login: 'octo', name: 'Octo Cat', email: 'octo@example.test' };
  failToken = false;
  tokenRequests: Record<string, string>[] = [];
  authorizeRequests: URL[] = [];
  private issued = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.base);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/authorize') {
      this.authorizeRequests.push(url);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', `code-${this.profile.id}`);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(302, { location: back.toString() });
      return void response.end();
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      let raw = '';
      for await (const chunk of request) raw += chunk;
      const form = Object.fromEntries(new URLSearchParams(raw));
      this.tokenRequests.push(form);
      if (this.failToken || form.client_secret !== 'gh-secret') return json(401, { error: 'bad_verification_code' });
      this.issued += 1;
      return json(200, { access_token: `at-${this.profile.id}-${this.issued}`, refresh_token: `rt-${this.issued}`, expires_in: 3600, token_type: 'bearer' });
    }
    const auth = request.headers.authorization ?? '';
    if (!auth.startsWith('token at-')) return json(401, { message: 'Bad credentials' });
    if (url.pathname === '/user') return json(200, { id: this.profile.id, login: this.profile.login, name: this.profile.name, email: null });
    if (url.pathname === '/emails') return json(200, [{ email: this.profile.email, primary: true, verified: true }]);
    json(404, { message: 'Not Found' });
  }
}

describe('OAuth2 sessions (real MariaDB/Redis, fake provider on loopback)', () => {
  let api: TestApi;
  let provider: FakeProvider;
  let projectId: string;

  /** Sets a project's stored provider settings as the projects API writes them. */
  const setProviders = async (id: string, authProviders: Record<string, unknown>) => {
    await api.app.get(ProjectRepository).update('console', id, { authProviders });
    api.app.get(ProjectContextService).invalidate(id);
  };

  const startUrl = (project = projectId, success = SUCCESS, failure = FAILURE, scopes = ['repo']) => {
    const client = new web.Client().setEndpoint(api.endpoint).setProject(project);
    return new web.Account(client).createOAuth2Session('github', success, failure, scopes) as unknown as URL;
  };

  const get = (url: string | URL, headers: Record<string, string> = {}) => fetch(url, { redirect: 'manual', headers });

  /** Follows the login through provider, callback and redirect route; returns the last answer. */
  const login = async (url: URL = startUrl(), headers: Record<string, string> = {}) => {
    const start = await get(url, headers);
    expect(start.status).toBe(301);
    const atProvider = await get(start.headers.get('location') as string);
    expect(atProvider.status).toBe(302);
    const callback = await get(atProvider.headers.get('location') as string);
    expect(callback.status).toBe(301);
    const redirectUrl = callback.headers.get('location') as string;
    return { final: await get(redirectUrl, headers), start, callback, redirectUrl };
  };

  const sessionCookie = (response: Response): string => {
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`a_session_${projectId}=`)) ?? '';
    return decodeURIComponent(cookie.slice(`a_session_${projectId}=`.length).split(';')[0]);
  };

  /** A web SDK client signed in with the session value (as X-Fallback-Cookies). */
  const browser = (session: string) => {
    storage.clear();
    storage.setItem('cookieFallback', JSON.stringify({ [`a_session_${projectId}`]: session }));
    return new web.Account(new web.Client().setEndpoint(api.endpoint).setProject(projectId));
  };

  beforeAll(async () => {
    provider = new FakeProvider();
    await provider.start();
    api = await createTestApi([OAuth2ApiModule, AccountApiModule], { env: { _APP_OPENSSL_KEY_V1: 'oauth2-int-spec-key', _APP_OPTIONS_ABUSE: 'disabled' } });
    api.app.get(OAuth2ProviderRegistry).overrideEndpoints('github', {
      authorize: `${provider.base}/authorize`,
      token: `${provider.base}/token`,
      user: `${provider.base}/user`,
      emails: `${provider.base}/emails`,
    });
    ({ projectId } = await api.seedProject([], { name: 'OAuth app' }));
    await api.app.get(PlatformRepository).create(projectId, { uid: 'web1', type: 'web', name: 'Web app', hostname: APP_HOST, key: null, store: null });
    await setProviders(projectId, { github: { appId: 'gh-app', secret: 'gh-secret', enabled: true } });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await provider?.stop();
  });

  it('logs in through the provider, sets both cookies and lands on success; the SDK sees the user and the github session', async () => {
    const publish = jest.spyOn(api.app.get(EventBus), 'publish');
    const { final, start, callback } = await login();

    const authorize = new URL(start.headers.get('location') as string);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${provider.base}/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe('gh-app');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${new URL(api.endpoint).origin}/v1/account/sessions/oauth2/callback/github/${projectId}`);
    expect(authorize.searchParams.get('scope')).toBe('user:email repo');
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(start.headers.get('cache-control')).toContain('no-store');
    expect(new URL(callback.headers.get('location') as string).pathname).toBe('/v1/account/sessions/oauth2/github/redirect');
    expect(provider.tokenRequests.at(-1)).toMatchObject({ client_id: 'gh-app', client_secret: 'gh-secret', code: 'code-4242', grant_type: 'authorization_code' });

    expect(final.status).toBe(301);
    expect(final.headers.get('location')).toBe(SUCCESS);
    const cookies = final.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith(`a_session_${projectId}=`) && c.includes('SameSite=None'))).toBe(true);
    expect(cookies.some((c) => c.startsWith(`a_session_${projectId}_legacy=`))).toBe(true);

    const account = browser(sessionCookie(final));
    const user = await account.get();
    expect(user).toMatchObject({ email: 'octo@example.test', name: 'Octo Cat', emailVerification: true, status: true });
    const session = await account.getSession('current');
    expect(session).toMatchObject({ provider: 'github', providerUid: '4242', providerAccessToken: expect.stringMatching(/^at-4242-/), providerRefreshToken: expect.stringMatching(/^rt-/), current: true });
    expect(new Date(session.providerAccessTokenExpiry).getTime()).toBeGreaterThan(Date.now() + 3500 * 1000);

    // The redirect route answers a URL, but its event carries the session (1.3).
    const event = publish.mock.calls.map(([published]) => published as AppEvent).find((published) => published.events.includes(`users.${user.$id}.sessions.${session.$id}.create`));
    expect(event?.payload).toMatchObject({ $id: session.$id, userId: user.$id, provider: 'github' });
    publish.mockRestore();
  });

  it('reuses the same user on a second login with the same provider uid, even after the e-mail changed', async () => {
    const first = sessionCookie((await login()).final);
    provider.profile = { ...provider.profile, email: 'renamed@example.test' };
    const second = sessionCookie((await login()).final);
    provider.profile = { ...provider.profile, email: 'octo@example.test' };
    const [a, b] = await Promise.all([browser(first).get(), browser(second).get()]);
    expect(b.$id).toBe(a.$id);
    expect(await api.app.get(UserRepository).count(projectId)).toBe(1);
  });

  it('links a new provider identity to an existing user with the same e-mail', async () => {
    const users = api.app.get(UserRepository);
    const existing = await users.create(projectId, { uid: 'existing-user', email: 'twin@example.test', name: 'Twin', status: true, registration: new Date(), prefs: {}, passwordHistory: [] });
    provider.profile = { id: 777, login: 'twin', name: 'Twin GH', email: 'twin@example.test' };
    try {
      const me = await browser(sessionCookie((await login()).final)).get();
      expect(me.$id).toBe(existing.uid);
      expect(me.emailVerification).toBe(true);
    } finally {
      provider.profile = { id: 4242, login: 'octo', name: 'Octo Cat', email: 'octo@example.test' };
    }
  });

  it('adds project, domain, key and secret to the built-in success page', async () => {
    const origin = new URL(api.endpoint).origin;
    const { final } = await login(startUrl(projectId, `${origin}/auth/oauth2/success`, ''));
    const location = new URL(final.headers.get('location') as string);
    expect(location.pathname).toBe('/auth/oauth2/success');
    expect(location.searchParams.get('project')).toBe(projectId);
    expect(location.searchParams.get('key')).toBe(`a_session_${projectId}`);
    expect(location.searchParams.get('secret')).toBe(sessionCookie(final));
    // 127.0.0.1 is an IP: no cookie domain, so no `domain` parameter (1.3 drops null values).
    expect(location.searchParams.has('domain')).toBe(false);
  });

  it('answers 412 when the provider is disabled or not configured, 400 for unknown providers and foreign redirect hosts', async () => {
    const { projectId: other } = await api.seedProject([], { name: 'No OAuth' });
    // localhost is always a console platform, so these URLs are acceptable for any project.
    const local = (id: string) => startUrl(id, 'http://localhost/ok', 'http://localhost/fail');
    const disabled = await get(local(other));
    expect(disabled.status).toBe(412);
    expect(await disabled.json()).toMatchObject({ type: 'project_provider_disabled', code: 412 });

    await setProviders(other, { github: { appId: 'gh-app', secret: 'gh-secret', enabled: false } });
    expect((await get(local(other))).status).toBe(412);
    // Credentials alone do not enable a provider (1.3 shows it disabled until switched on).
    await setProviders(other, { github: { appId: 'gh-app', secret: 'gh-secret' } });
    expect((await get(local(other))).status).toBe(412);
    await setProviders(other, { github: { appId: 'gh-app', secret: '', enabled: true } });
    expect((await get(local(other))).status).toBe(412);

    const badSuccess = await get(startUrl(projectId, 'https://evil.example.net/steal'));
    expect(badSuccess.status).toBe(400);
    expect(await badSuccess.json()).toMatchObject({ type: 'project_invalid_success_url' });
    const badFailure = await get(startUrl(projectId, SUCCESS, 'https://evil.example.net/steal'));
    expect(await badFailure.json()).toMatchObject({ type: 'project_invalid_failure_url', code: 400 });

    const unknown = await get(`${api.endpoint}/account/sessions/oauth2/myspace?project=${projectId}`);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ type: 'general_argument_invalid' });
  });

  it('sends a forged or tampered state to the failure URL (only when that URL is a registered platform) without a session', async () => {
    const start = await get(startUrl());
    const state = new URL(start.headers.get('location') as string).searchParams.get('state') as string;
    const [payload] = state.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), success: 'https://evil.example.net/' })).toString('base64url');
    const redirect = (s: string) => get(`${api.endpoint}/account/sessions/oauth2/github/redirect?project=${projectId}&code=code-4242&state=${encodeURIComponent(s)}`);

    const forged = await redirect(`${forgedPayload}.${state.split('.')[1]}`);
    expect(forged.status).toBe(301);
    const location = new URL(forged.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(FAILURE);
    expect(JSON.parse(location.searchParams.get('error') as string)).toMatchObject({ type: 'general_argument_invalid', code: 400 });
    expect(forged.headers.getSetCookie()).toEqual([]);

    const hostile = Buffer.from(JSON.stringify({ success: 'https://evil.example.net/', failure: 'https://evil.example.net/', exp: 9999999999 })).toString('base64url');
    const refused = await redirect(`${hostile}.bogus`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
  });

  it('sends token exchange failures and blocked users to the failure URL with the error', async () => {
    provider.failToken = true;
    try {
      const { final } = await login();
      expect(final.status).toBe(301);
      const location = new URL(final.headers.get('location') as string);
      expect(`${location.origin}${location.pathname}`).toBe(FAILURE);
      expect(JSON.parse(location.searchParams.get('error') as string)).toEqual({ message: 'Failed to obtain access token', type: 'user_missing_id', code: 400 });
      expect(final.headers.getSetCookie()).toEqual([]);
    } finally {
      provider.failToken = false;
    }

    const users = api.app.get(UserRepository);
    const octo = await users.findByEmail(projectId, 'octo@example.test');
    await users.update(projectId, octo!.uid, { status: false });
    try {
      const before = await api.app.get(SessionRepository).count(projectId);
      const { final } = await login();
      expect(JSON.parse(new URL(final.headers.get('location') as string).searchParams.get('error') as string)).toMatchObject({ type: 'user_blocked', code: 401 });
      expect(await api.app.get(SessionRepository).count(projectId)).toBe(before);
    } finally {
      await users.update(projectId, octo!.uid, { status: true });
    }
  });

  it('forwards a form_post callback (Apple) to the redirect route, whatever the provider origin', async () => {
    const response = await fetch(`${api.endpoint}/account/sessions/oauth2/callback/github/${projectId}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://appleid.apple.com' },
      body: new URLSearchParams({ code: 'posted-code', state: 'posted.state' }).toString(),
    });
    expect(response.status).toBe(301);
    const location = new URL(response.headers.get('location') as string);
    expect(location.pathname).toBe('/v1/account/sessions/oauth2/github/redirect');
    expect(Object.fromEntries(location.searchParams)).toEqual({ project: projectId, code: 'posted-code', state: 'posted.state' });
    const unknown = await fetch(`${api.endpoint}/account/sessions/oauth2/callback/myspace/${projectId}`, { method: 'POST', redirect: 'manual' });
    expect(unknown.status).toBe(400);
  });

  it('respects the project user limit for new users', async () => {
    const { projectId: full } = await api.seedProject([], { name: 'Full', auths: { limit: 1, duration: 31536000 } });
    await setProviders(full, { github: { appId: 'gh-app', secret: 'gh-secret', enabled: true } });
    await api.app.get(UserRepository).create(full, { uid: 'only-user', email: 'only@example.test', name: 'Only', status: true, registration: new Date(), prefs: {}, passwordHistory: [] });
    const { final } = await login(startUrl(full, 'http://localhost/ok', 'http://localhost/fail'));
    const location = new URL(final.headers.get('location') as string);
    expect(location.pathname).toBe('/fail');
    expect(JSON.parse(location.searchParams.get('error') as string)).toMatchObject({ type: 'user_count_exceeded', code: 501 });
    expect(await api.app.get(UserRepository).count(full)).toBe(1);
  });

  it('attaches the provider to the signed-in user: an anonymous user gets the provider e-mail and keeps its id', async () => {
    const anonymous = await fetch(`${api.endpoint}/account/sessions/anonymous`, { method: 'POST', headers: { 'x-appwrite-project': projectId, 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(201);
    const anonymousSession = sessionCookie(anonymous);
    const guestId = ((await anonymous.json()) as { userId: string }).userId;
    provider.profile = { id: 9001, login: 'newbie', name: 'New Bie', email: 'newbie@example.test' };
    try {
      const { final } = await login(startUrl(), { cookie: `a_session_${projectId}=${encodeURIComponent(anonymousSession)}` });
      expect(final.headers.get('location')).toBe(SUCCESS);
      const me = await browser(sessionCookie(final)).get();
      expect(me).toMatchObject({ $id: guestId, email: 'newbie@example.test', name: 'New Bie', emailVerification: true });
      // 1.3 replaces the session the user came with.
      await expect(browser(anonymousSession).get()).rejects.toMatchObject({ code: 401 });
    } finally {
      provider.profile = { id: 4242, login: 'octo', name: 'Octo Cat', email: 'octo@example.test' };
    }
  });

  it('refreshes the provider tokens of an OAuth2 session (PATCH /account/sessions/current)', async () => {
    const account = browser(sessionCookie((await login()).final));
    const before = await account.getSession('current');
    const refreshed = await account.updateSession('current');
    expect(provider.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', refresh_token: before.providerRefreshToken, client_secret: 'gh-secret' });
    expect(refreshed.providerAccessToken).not.toBe(before.providerAccessToken);
    expect(refreshed).toMatchObject({ $id: before.$id, provider: 'github', providerUid: '4242' });
  });
});
