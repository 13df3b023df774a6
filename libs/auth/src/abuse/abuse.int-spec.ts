import { randomBytes } from 'node:crypto';

import Fastify, { FastifyInstance } from 'fastify';
import Redis from 'ioredis';
import { AppConfig } from '@appconda/config';
import { AppException, AuthType, RequestContext, RouteDeclaration } from '@appconda/core';

import { AbuseOptions, RedisAbuseLimiter } from './abuse.limiter';

const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
const FILE_PREFIX = `appconda_t_${randomBytes(4).toString('hex')}`;
let prefix: string;
let testNo = 0;
let clock: number;
let app: FastifyInstance | undefined;

async function deleteKeys(pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function ctx(authType: AuthType, extra: Partial<RequestContext> = {}): RequestContext {
  return { requestId: 'r', projectId: 'p', authType, role: 'guests', scopes: new Set(), roles: new Set(), skipPermissions: false, ip: '10.0.0.1', userAgent: 'jest', extras: {}, ...extra };
}

/** A real Fastify app whose routes run the limiter before answering, so headers and route templates are the real ones. */
async function serve(declaration: RouteDeclaration, options: AbuseOptions = {}, authType = AuthType.Guest, config?: AppConfig): Promise<FastifyInstance> {
  const sut = new RedisAbuseLimiter(redis, config, { prefix, now: () => clock, ...options });
  const instance = Fastify();
  instance.addHook('preHandler', async (request, reply) => {
    (request as unknown as { ctx: RequestContext }).ctx = ctx(authType, { ip: String(request.headers['x-test-ip'] ?? '10.0.0.1'), userAgent: 'jest' });
    try {
      await sut.check(request as never, declaration, reply);
    } catch (error) {
      const e = error as AppException;
      return reply.status(e.code).send({ type: e.type, code: e.code });
    }
  });
  const ok = async () => ({ ok: true });
  instance.post('/v1/account/sessions/email', ok);
  instance.post('/v1/teams/:teamId/memberships', ok);
  instance.get('/v1/things/:id', ok);
  app = instance;
  return instance;
}

function post(instance: FastifyInstance, url: string, payload: object = {}, headers: Record<string, string> = {}) {
  return instance.inject({ method: 'POST', url, payload, headers: { host: 'localhost:8080', ...headers } });
}

beforeAll(() => redis.connect());
beforeEach(() => {
  prefix = `${FILE_PREFIX}_${++testNo}`;
  clock = Date.UTC(2026, 0, 1, 10, 15, 0);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await deleteKeys(`${prefix}:*`);
});
afterAll(async () => {
  await deleteKeys(`${FILE_PREFIX}_*`);
  await redis.quit();
});

describe('RedisAbuseLimiter (real Redis)', () => {
  const email: RouteDeclaration = { auth: [AuthType.Guest], scope: 'public', rateLimit: { limit: 3, window: 3600 } };

  it('counts per url template + ip, sets the headers, answers 429 at limit + 1', async () => {
    const sut = await serve(email);
    const first = await post(sut, '/v1/account/sessions/email');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    const windowStart = Math.floor(clock / 1000 / 3600) * 3600;
    expect(first.headers['x-ratelimit-reset']).toBe(String(windowStart + 3600));
    expect((await post(sut, '/v1/account/sessions/email')).headers['x-ratelimit-remaining']).toBe('1');
    expect((await post(sut, '/v1/account/sessions/email')).headers['x-ratelimit-remaining']).toBe('0');
    const blocked = await post(sut, '/v1/account/sessions/email');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toEqual({ type: 'general_rate_limit_exceeded', code: 429 });
    expect(blocked.headers['x-ratelimit-remaining']).toBe('0');
    // Another IP has its own counter.
    expect((await post(sut, '/v1/account/sessions/email', {}, { 'x-test-ip': '10.0.0.2' })).statusCode).toBe(200);
    // The key is the project, hostname (no port) + route template, and expires with the window.
    const key = `${prefix}:abuse:p:url:localhost/v1/account/sessions/email,ip:10.0.0.1:${windowStart}`;
    expect(await redis.get(key)).toBe('4');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('uses the route template, not the concrete path', async () => {
    const sut = await serve({ auth: [AuthType.Guest], scope: 'public', rateLimit: { limit: 2, key: 'url:{url}' } });
    await post(sut, '/v1/teams/a/memberships');
    await post(sut, '/v1/teams/b/memberships');
    expect((await post(sut, '/v1/teams/c/memberships')).statusCode).toBe(429);
    expect(await redis.keys(`${prefix}:abuse:p:url:localhost/v1/teams/:teamId/memberships:*`)).toHaveLength(1);
  });

  it('starts over in the next window', async () => {
    const sut = await serve({ ...email, rateLimit: { limit: 1, window: 60 } });
    expect((await post(sut, '/v1/account/sessions/email')).statusCode).toBe(200);
    expect((await post(sut, '/v1/account/sessions/email')).statusCode).toBe(429);
    clock += 60_000;
    const next = await post(sut, '/v1/account/sessions/email');
    expect(next.statusCode).toBe(200);
    expect(next.headers['x-ratelimit-remaining']).toBe('0');
    expect(next.headers['x-ratelimit-reset']).toBe(String(Math.floor(clock / 1000 / 60) * 60 + 60));
  });

  it('keys on params (body, path, query) and skips keys whose param is empty', async () => {
    const sut = await serve({ auth: [AuthType.Guest], scope: 'public', rateLimit: { limit: 1, key: ['url:{url},email:{param-email}', 'team:{param-teamId},{method}'] } });
    expect((await post(sut, '/v1/teams/t1/memberships', { email: 'a@x.io' })).statusCode).toBe(200);
    // Same team, other email: the team key is over its limit.
    expect((await post(sut, '/v1/teams/t1/memberships', { email: 'b@x.io' })).statusCode).toBe(429);
    expect((await post(sut, '/v1/teams/t2/memberships', { email: 'c@x.io' })).statusCode).toBe(200);
    // Same email on a third team: the email key is over its limit.
    expect((await post(sut, '/v1/teams/t3/memberships', { email: 'a@x.io' })).statusCode).toBe(429);
    // No email at all: only the team key counts.
    expect((await post(sut, '/v1/teams/t4/memberships', { email: '' })).statusCode).toBe(200);
    const keys = await redis.keys(`${prefix}:abuse:*`);
    expect(keys.some((key) => key.includes('email:a@x.io'))).toBe(true);
    expect(keys.some((key) => key.includes('team:t4,POST'))).toBe(true);
    expect(keys.some((key) => key.includes('{param-email}'))).toBe(false);
    expect(keys.some((key) => key.includes('email:,') || key.endsWith('email:'))).toBe(false);
  });

  it('never blocks API keys or console admins but still sends headers', async () => {
    for (const authType of [AuthType.Key, AuthType.Admin]) {
      const sut = await serve({ ...email, rateLimit: { limit: 1 } }, {}, authType);
      await post(sut, '/v1/account/sessions/email');
      const again = await post(sut, '/v1/account/sessions/email');
      expect(again.statusCode).toBe(200);
      expect(again.headers['x-ratelimit-limit']).toBe('1');
      expect(again.headers['x-ratelimit-remaining']).toBe('0');
      await app!.close();
      await deleteKeys(`${prefix}:*`);
    }
  });

  it('does nothing when abuse is disabled (option or _APP_OPTIONS_ABUSE=disabled)', async () => {
    const byOption = await serve({ ...email, rateLimit: { limit: 1 } }, { enabled: false });
    for (let i = 0; i < 3; i++) expect((await post(byOption, '/v1/account/sessions/email')).statusCode).toBe(200);
    await byOption.close();
    const byConfig = await serve({ ...email, rateLimit: { limit: 1 } }, {}, AuthType.Guest, new AppConfig({ _APP_OPTIONS_ABUSE: 'disabled' }));
    for (let i = 0; i < 3; i++) {
      const response = await post(byConfig, '/v1/account/sessions/email');
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it('ignores routes without a limit', async () => {
    const sut = await serve({ auth: [AuthType.Guest], scope: 'public' });
    const response = await sut.inject({ method: 'GET', url: '/v1/things/1' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-ratelimit-limit']).toBeUndefined();
  });
});
