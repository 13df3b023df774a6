import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';
import Redis from 'ioredis';

import { redisPrefix } from './transport.options';

/** Injection token of the shared ioredis client (cache, abuse counters, pub/sub publishing). */
export const REDIS = Symbol('REDIS');
/** Injection token of this installation's Redis key prefix (`_APP_REDIS_PREFIX`). */
export const REDIS_PREFIX = Symbol('REDIS_PREFIX');

let shared: { client: Redis; users: number } | undefined;

/**
 * One ioredis client per process, shared by every Nest app in it (the one-process mode runs 15) and
 * closed when the last app using it shuts down.
 */
function acquire(config: AppConfig): Redis {
  if (!shared) {
    const redis = config.get('redis');
    const client = new Redis({
      host: redis.host,
      port: redis.port,
      username: redis.username,
      password: redis.password,
      maxRetriesPerRequest: 3,
      enableAutoPipelining: true,
      lazyConnect: false,
    });
    watchConnection(client);
    shared = { client, users: 0 };
  }
  shared.users += 1;
  return shared.client;
}

/**
 * ioredis reconnects by itself; without an 'error' listener it also prints "[ioredis] Unhandled error
 * event" with a stack to stderr for every failed attempt. One warning when the connection is lost and
 * one line when it is back instead.
 */
function watchConnection(client: Redis): void {
  const logger = serviceLogger('redis');
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ event: 'redis_unavailable', err: err.message }, 'Redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.warn({ event: 'redis_reconnected' }, 'Redis connection back');
  });
}

async function release(client: Redis): Promise<void> {
  if (!shared || shared.client !== client) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  shared = undefined;
  await client.quit().catch(() => client.disconnect());
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly client: Redis) {}

  onApplicationShutdown(): Promise<void> {
    return release(this.client);
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: acquire },
    { provide: REDIS_PREFIX, inject: [AppConfig], useFactory: redisPrefix },
    RedisLifecycle,
  ],
  exports: [REDIS, REDIS_PREFIX],
})
export class RedisModule {}
