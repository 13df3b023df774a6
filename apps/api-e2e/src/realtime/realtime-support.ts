import { spawn } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import WebSocket from 'ws';

import { endpoint, testIp } from '../../support/console';
import { Store, web, withStore } from '../../support/identity-clients';
import { freePort } from '@appconda/testing';

/** A message of the realtime protocol as a socket received it. */
export interface Frame {
  type: string;
  data: Record<string, unknown> & { code?: number; message?: string; channels?: string[]; events?: string[]; payload?: Record<string, unknown>; user?: Record<string, unknown> | null };
}

/** One socket a browser opened: what it received and how it ended. */
export interface Opened {
  url: string;
  frames: Frame[];
  closed?: { code: number; reason: string };
}

/** What a browser sends with its WebSocket handshake: its Origin, its cookie jar, its address (X-Forwarded-For, as behind a proxy). */
export interface BrowserProfile {
  origin: string;
  cookie?: string;
  ip: string;
  sockets: Opened[];
}

const profiles = new AsyncLocalStorage<BrowserProfile>();

function record(socket: WebSocket, opened: Opened): void {
  socket.on('message', (data) => {
    try {
      opened.frames.push(JSON.parse(data.toString()) as Frame);
    } catch {
      opened.frames.push({ type: 'unparsable', data: { text: data.toString() } });
    }
  });
  socket.on('close', (code, reason) => (opened.closed = { code, reason: reason.toString() }));
  socket.on('error', () => undefined);
}

/**
 * The browser's WebSocket for the web SDK in Node: `ws`, sending what a browser sends (Origin, the
 * cookies of the page's jar) for the client whose `subscribe` is running, and keeping every frame.
 */
class BrowserWebSocket extends WebSocket {
  readonly opened: Opened;

  constructor(url: string) {
    const profile = profiles.getStore() ?? { origin: 'http://localhost', ip: testIp(), sockets: [] };
    super(url, { headers: { origin: profile.origin, 'x-forwarded-for': profile.ip, ...(profile.cookie ? { cookie: profile.cookie } : {}) }, perMessageDeflate: false });
    const opened: Opened = { url, frames: [] };
    profile.sockets.push(opened);
    record(this, opened);
    this.opened = opened;
  }
}

const g = globalThis as unknown as { window: Record<string, unknown>; WebSocket: unknown };
g.WebSocket = BrowserWebSocket;
Object.assign(g.window, { setTimeout, clearTimeout, WebSocket: BrowserWebSocket });

export type RealtimeEvent = { events: string[]; channels: string[]; timestamp: string; payload: Record<string, unknown> };

/** A web SDK client in a "browser": its subscriptions run with its own storage and handshake profile. */
export interface Browser {
  client: InstanceType<typeof web.Client>;
  profile: BrowserProfile;
  /**
   * `client.subscribe(channels)`, collecting what the callback receives; `ready` resolves with the
   * socket the SDK uses once the server said `connected` on it.
   */
  subscribe(channels: string | string[]): { received: RealtimeEvent[]; close(): void; ready: Promise<Opened> };
}

/** The session cookie header a browser holding this client's session would send (the value the web SDK keeps as fallback). */
export function sessionCookie(store: Store, projectId: string): string {
  const fallback = JSON.parse(store.get('cookieFallback') ?? '{}') as Record<string, string>;
  const value = fallback[`a_session_${projectId}`];
  if (!value) throw new Error('the client holds no session');
  return `a_session_${projectId}=${encodeURIComponent(value)}`;
}

type SdkRealtime = { socket?: BrowserWebSocket; url: string; reconnect: boolean };
const realtimeOf = (client: InstanceType<typeof web.Client>) => (client as unknown as { realtime: SdkRealtime }).realtime;
const opened: { clients: InstanceType<typeof web.Client>[]; raw: WebSocket[] } = { clients: [], raw: [] };

/** Closes every socket the file's browsers and raw sockets opened, without the SDK reconnecting (afterAll). */
export function closeAllSockets(): void {
  for (const client of opened.clients) {
    const realtime = realtimeOf(client);
    if (realtime.socket && realtime.socket.readyState <= WebSocket.OPEN) {
      realtime.reconnect = false;
      realtime.socket.close();
    }
  }
  for (const socket of opened.raw) socket.terminate();
}

export function browser(client: InstanceType<typeof web.Client>, store: Store, profile: Partial<BrowserProfile> = {}): Browser {
  const full: BrowserProfile = { origin: 'http://localhost', ip: testIp(), sockets: [], ...profile };
  opened.clients.push(client);
  return {
    client,
    profile: full,
    subscribe(channels) {
      const received: RealtimeEvent[] = [];
      const close = withStore(store, () => profiles.run(full, () => client.subscribe(channels, (message) => received.push(message as unknown as RealtimeEvent))));
      // The SDK opens (or reopens) its socket 50 ms after a subscribe.
      const realtime = realtimeOf(client);
      const ready = sleep(80).then(() => until(() => realtime.socket?.opened.frames.some((f) => f.type === 'connected') && realtime.socket.opened, 'connected'));
      ready.catch(() => undefined); // only a failure for the tests that wait for it
      return { received, close, ready };
    },
  };
}

/** Polls until `probe` finds something (frames and events arrive asynchronously). */
export async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The realtime URL of an endpoint (`http://…/v1` → `ws://…/v1/realtime?…`). */
export function realtimeUrl(query: string, base = endpoint()): string {
  return `${base.replace(/^http/, 'ws')}/realtime${query ? `?${query}` : ''}`;
}

/** A socket without the SDK, for frames the SDK never sends. */
export interface RawSocket extends Opened {
  socket: WebSocket;
}

export function rawSocket(url: string, headers: Record<string, string> = {}): RawSocket {
  const socket = new WebSocket(url, { headers: { origin: 'http://localhost', 'x-forwarded-for': testIp(), ...headers }, perMessageDeflate: false });
  const raw: RawSocket = { url, frames: [], socket };
  record(socket, raw);
  opened.raw.push(socket);
  return raw;
}

/** A second realtime process (`appconda realtime`) on the suite's schema and Redis prefix. */
export async function startRealtimeProcess(): Promise<{ endpoint: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const root = path.resolve(__dirname, '../../../..');
  const env = {
    ...process.env,
    _APP_REALTIME_PORT: String(port),
    _APP_PORT: String(await freePort()),
    _APP_DB_SCHEMA: process.env.APPCONDA_E2E_SCHEMA,
    _APP_REDIS_PREFIX: process.env.APPCONDA_E2E_REDIS_PREFIX,
    _APP_LOG_LEVEL: 'info',
    APPCONDA_ENV_FILE: '/nonexistent',
  };
  const child = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), 'realtime'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`realtime not ready in 30 s: ${output.slice(-500)}`)), 30000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/"event":"ready"/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`realtime exited with ${code}: ${output.slice(-500)}`)));
  });
  child.stdout.resume();
  return {
    endpoint: `http://127.0.0.1:${port}/v1`,
    pid: child.pid as number,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
