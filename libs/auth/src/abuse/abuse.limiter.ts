import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { AbuseLimiter, AppException, AuthType, ErrorType, headerValue, RequestLike, RouteDeclaration } from '@appconda/core';
import type Redis from 'ioredis';

import { abuseKeyPatterns, AbuseKeyValues, buildAbuseKey, DEFAULT_ABUSE_WINDOW, windowStart } from './abuse-key';

/** The ioredis client the limiter counts in; provided by the app (e.g. `useExisting: REDIS` from transport). */
export const ABUSE_REDIS = Symbol('ABUSE_REDIS');

/** Optional overrides (tests, tools). */
export const ABUSE_OPTIONS = Symbol('ABUSE_OPTIONS');

export interface AbuseOptions {
  /** Key prefix; default `_APP_REDIS_PREFIX` (config.get('redisPrefix')). Keys are `<prefix>:abuse:<projectId>:<key>:<windowStart>` (no project part when the request has none). */
  prefix?: string;
  /** Overrides `config.get('abuse')` (`_APP_OPTIONS_ABUSE`). */
  enabled?: boolean;
  /** Clock in ms; default Date.now. */
  now?: () => number;
}

/** The reply surface used: Fastify's `reply.header()` or Node's `res.setHeader()`. */
interface HeaderSink {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/** The Fastify request fields read beyond core's RequestLike. */
interface FastifyishRequest extends RequestLike {
  hostname?: string;
  routeOptions?: { url?: string };
  routerPath?: string;
  params?: unknown;
  body?: unknown;
}

/** INCR, and the window's expiry on the first hit: one EVALSHA round trip instead of MULTI/INCR/EXPIRE/EXEC. */
const HIT_SCRIPT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

type ScriptedRedis = Redis & { appcondaAbuseHit(key: string, window: number): Promise<number> };

/** Auth types Appwrite never blocks (API keys, console team members); they still get the headers. */
const UNBLOCKED: ReadonlySet<string> = new Set([AuthType.Key, AuthType.Admin]);

/**
 * Appwrite 1.3 abuse limits (PROTOCOL §15) as fixed-window counters in Redis: for each key pattern of
 * the route, one Lua script call (INCR, EXPIRE on the first hit) per request. The key with the fewest requests left sets
 * `X-RateLimit-Limit/Remaining/Reset`; any key over its limit answers 429 `general_rate_limit_exceeded`.
 */
@Injectable()
export class RedisAbuseLimiter implements AbuseLimiter {
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(
    @Inject(ABUSE_REDIS) private readonly redis: Redis,
    @Optional() private readonly config?: AppConfig,
    @Optional() @Inject(ABUSE_OPTIONS) private readonly options: AbuseOptions = {},
  ) {
    this.prefix = options.prefix ?? config?.get('redisPrefix') ?? 'appconda';
    this.now = options.now ?? Date.now;
  }

  private get enabled(): boolean {
    return this.options.enabled ?? this.config?.get('abuse') ?? true;
  }

  async check(request: RequestLike, declaration: RouteDeclaration, reply: unknown): Promise<void> {
    const limit = declaration.rateLimit;
    if (!limit || limit.limit <= 0 || !this.enabled) return;
    const window = limit.window ?? DEFAULT_ABUSE_WINDOW;
    const start = windowStart(Math.floor(this.now() / 1000), window);
    const values = keyValues(request as FastifyishRequest);
    const keys = abuseKeyPatterns(limit)
      .map((pattern) => buildAbuseKey(pattern, values))
      .filter((key): key is string => key !== undefined);
    if (!keys.length) return;
    // 1.3 keeps its abuse counters in the project's own database: each project counts on its own.
    const project = request.ctx?.projectId ? `${request.ctx.projectId}:` : '';
    const counts = await Promise.all(keys.map((key) => this.hit(`${this.prefix}:abuse:${project}${key}:${start}`, window)));
    const highest = Math.max(...counts);
    setHeaders(reply as HeaderSink, {
      'X-RateLimit-Limit': String(limit.limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit.limit - highest)),
      'X-RateLimit-Reset': String(start + window),
    });
    if (highest > limit.limit && !UNBLOCKED.has(request.ctx?.authType ?? '')) throw new AppException(ErrorType.GeneralRateLimitExceeded);
  }

  /** Counts one request in a window key; the key expires with its window. Returns the new count. */
  private async hit(key: string, window: number): Promise<number> {
    const redis = this.redis as ScriptedRedis;
    // ioredis sends EVALSHA and falls back to EVAL once per connection when Redis lacks the script.
    if (typeof redis.appcondaAbuseHit !== 'function') redis.defineCommand('appcondaAbuseHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    return Number(await redis.appcondaAbuseHit(key, window));
  }
}

function keyValues(request: FastifyishRequest): AbuseKeyValues {
  const host = request.hostname ?? (headerValue(request, 'host') ?? '').replace(/:\d+$/, '');
  const template = request.routeOptions?.url ?? request.routerPath ?? (request.url ?? '').split('?')[0];
  let params: Record<string, unknown> | undefined;
  return {
    url: `${host}${template}`,
    ip: request.ctx?.ip || request.ip || '',
    userId: request.ctx?.userId ?? '',
    method: (request.method ?? '').toUpperCase(),
    userAgent: request.ctx?.userAgent ?? headerValue(request, 'user-agent') ?? '',
    // Path params and body/query params share one namespace (PROTOCOL §1); path params win. Merged only
    // for patterns with `{param-…}`: most keys never read them, and a write's body can be large.
    get params() {
      params ??= { ...asRecord(request.query), ...asRecord(request.body), ...asRecord(request.params) };
      return params;
    },
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function setHeaders(reply: HeaderSink | undefined, headers: Record<string, string>): void {
  if (!reply) return;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof reply.header === 'function') reply.header(name, value);
    else if (typeof reply.setHeader === 'function') reply.setHeader(name, value);
  }
}
