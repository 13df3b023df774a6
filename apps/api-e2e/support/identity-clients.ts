import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

import * as server from 'node-appwrite';

import { endpoint, testIp } from './console';

/**
 * Clients for the identity e2e suite. The web SDK (appwrite@11) only sends and stores
 * X-Fallback-Cookies when `window.localStorage` exists, and keeps ONE `cookieFallback` item for the
 * whole page. Node has no window, and a test drives several users at once, so every web client gets
 * its own store: `window.localStorage` resolves to the store of the client whose call is running
 * (AsyncLocalStorage follows the SDK's awaits, so concurrent calls never mix sessions).
 */
export type Store = Map<string, string>;

const activeStore = new AsyncLocalStorage<Store>();
const pageStore: Store = new Map();

interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
  key(index: number): string | null;
  readonly length: number;
}

function storage(): WebStorage {
  const store = () => activeStore.getStore() ?? pageStore;
  return {
    getItem: (k: string) => store().get(k) ?? null,
    setItem: (k: string, v: string) => void store().set(k, String(v)),
    removeItem: (k: string) => void store().delete(k),
    clear: () => store().clear(),
    key: (i: number) => [...store().keys()][i] ?? null,
    get length() {
      return store().size;
    },
  };
}

/** Runs `fn` (and what it schedules) with `store` as `window.localStorage` (e.g. the SDK's realtime handlers). */
export function withStore<T>(store: Store, fn: () => T): T {
  return activeStore.run(store, fn);
}

/** Gives Node the `window` the web SDK looks for (localStorage per client, a quiet console). */
export function installWebWindow(): void {
  const g = globalThis as { window?: unknown; localStorage?: unknown };
  const localStorage = storage();
  g.localStorage = localStorage;
  g.window = { localStorage, console: { warn: () => undefined, log: () => undefined, error: () => undefined } };
}

installWebWindow();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after `window` exists, as in a browser
export const web = require('appwrite') as typeof import('appwrite');

export interface WebUser {
  client: InstanceType<typeof web.Client>;
  account: InstanceType<typeof web.Account>;
  teams: InstanceType<typeof web.Teams>;
  /** This client's localStorage (holds `cookieFallback` once signed in). */
  store: Store;
  ip: string;
  email: string;
  password: string;
}

/** A web SDK client of `projectId` with its own storage and its own client IP. */
export function webClient(projectId: string, ip = testIp()): Pick<WebUser, 'client' | 'account' | 'teams' | 'store' | 'ip'> {
  const client = new web.Client().setEndpoint(endpoint()).setProject(projectId);
  client.headers['X-Forwarded-For'] = ip;
  const store: Store = new Map();
  const call = client.call.bind(client);
  client.call = (...args: Parameters<typeof call>) => activeStore.run(store, () => call(...args));
  return { client, account: new web.Account(client), teams: new web.Teams(client), store, ip };
}

export const uniqueEmail = (tag = 'user'): string => `${tag}-${randomBytes(5).toString('hex')}@example.test`;

/** Signs a fresh user up through the web SDK and signs them in (email session). */
export async function signedInUser(projectId: string, tag = 'user', name = 'Test User'): Promise<WebUser & { userId: string; sessionId: string }> {
  const c = webClient(projectId);
  const email = uniqueEmail(tag);
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const user = await c.account.create(web.ID.unique(), email, password, name);
  const session = await c.account.createEmailSession(email, password);
  return { ...c, email, password, userId: user.$id, sessionId: session.$id };
}

/** A node-appwrite client with an API key. */
export function keyClient(projectId: string, key: string): server.Client {
  return new server.Client().setEndpoint(endpoint()).setProject(projectId).setKey(key);
}

/** The `{ code, type }` an SDK call rejected with (fails when it resolved). */
export async function failure(promise: Promise<unknown>): Promise<{ code: number; type: string }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { code?: number; type?: string; message?: string };
    return { code: err.code ?? -1, type: err.type ?? `(no type: ${err.message})` };
  }
  throw new Error('the call succeeded but was expected to fail');
}

export interface RawResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A plain HTTP call against the API (for headers the SDKs hide: rate limits, CORS). */
export async function raw<T = Record<string, unknown>>(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<RawResponse<T>> {
  const res = await fetch(`${endpoint()}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Polls `probe` until it returns a truthy value (async workers: audits, deletes, mails). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
