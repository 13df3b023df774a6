import { randomBytes } from 'node:crypto';

import { API_KEY_SCOPES } from '@appconda/contracts';

/** What a console bootstrap leaves behind: a console user's session, an organization, a project and a key. */
export interface ConsoleSession {
  endpoint: string;
  email: string;
  password: string;
  /** Cookie header value of the console session. */
  cookie: string;
  teamId: string;
  projectId: string;
  /** Raw secret of an API key holding every key scope. */
  key: string;
  /** A console-authenticated call (X-Appwrite-Project: console, the session cookie). */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
}

export const endpoint = (): string => {
  const value = process.env.APPCONDA_E2E_ENDPOINT;
  if (!value) throw new Error('APPCONDA_E2E_ENDPOINT is not set: run through apps/api-e2e/jest.config.cjs');
  return value;
};

/** An IP of its own per caller so the per-IP abuse limits of sign-up and sessions never collide between tests. */
export function testIp(): string {
  const bytes = randomBytes(3);
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2] || 1}`;
}

async function request(url: string, init: RequestInit): Promise<{ status: number; body: never; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as never, headers: res.headers };
}

function sessionCookie(headers: Headers): string {
  const cookies = headers.getSetCookie().filter((c) => c.startsWith('a_session_console='));
  if (!cookies.length) throw new Error('no console session cookie was set');
  return cookies[0].split(';')[0];
}

/**
 * Does what a developer does on the console: signs up, signs in, creates an organization (team), a
 * project in it, an API key with every scope and a web platform for localhost.
 */
export async function bootstrapConsole(name = 'e2e'): Promise<ConsoleSession> {
  const base = endpoint();
  const ip = testIp();
  const email = `${name}-${randomBytes(5).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const json = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'x-appwrite-project': 'console', 'x-forwarded-for': ip, ...extra });

  const signup = await request(`${base}/account`, { method: 'POST', headers: json(), body: JSON.stringify({ userId: 'unique()', email, password, name }) });
  if (signup.status !== 201) throw new Error(`console sign-up failed: ${JSON.stringify(signup.body)}`);
  const login = await request(`${base}/account/sessions/email`, { method: 'POST', headers: json(), body: JSON.stringify({ email, password }) });
  if (login.status !== 201) throw new Error(`console login failed: ${JSON.stringify(login.body)}`);
  const cookie = sessionCookie(login.headers);

  const call = async <T>(method: string, path: string, body?: unknown) =>
    request(`${base}${path}`, { method, headers: json({ cookie }), body: body === undefined ? undefined : JSON.stringify(body) }) as Promise<{ status: number; body: T; headers: Headers }>;
  const expectCreated = async (path: string, body: unknown): Promise<Record<string, string>> => {
    const res = await call<Record<string, string>>('POST', path, body);
    if (res.status !== 201) throw new Error(`POST ${path} failed: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const team = await expectCreated('/teams', { teamId: 'unique()', name: `${name} organization` });
  const project = await expectCreated('/projects', { projectId: 'unique()', name: `${name} project`, teamId: team.$id });
  const key = await expectCreated(`/projects/${project.$id}/keys`, { name: 'everything', scopes: [...API_KEY_SCOPES] });
  await expectCreated(`/projects/${project.$id}/platforms`, { type: 'web', name: 'localhost', hostname: 'localhost' });
  return { endpoint: base, email, password, cookie, teamId: team.$id, projectId: project.$id, key: key.secret, call };
}

/**
 * The web SDK keeps X-Fallback-Cookies in `window.localStorage`: give Node a window with a real
 * in-memory store (call before loading `appwrite`). The SDK's store is global: one browser per file.
 */
export function installLocalStorage(): Map<string, string> {
  const store = new Map<string, string>();
  const global = globalThis as { localStorage?: unknown; window?: unknown };
  global.window ??= globalThis;
  global.localStorage = {
    getItem: (k: string) => (store.has(k) ? store.get(k)! : null),
    setItem: (k: string, v: string) => void store.set(k, String(v)),
    removeItem: (k: string) => void store.delete(k),
    clear: () => store.clear(),
    key: (i: number) => [...store.keys()][i] ?? null,
    get length() {
      return store.size;
    },
  };
  return store;
}
