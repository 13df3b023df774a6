import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

import { RELEASE_LOCK_SCRIPT } from './interval-lock';

/** A held lock: give it back with `release()` (never throws, a no-op once it expired or was taken over). */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * A mutex across processes and replicas for work on one resource (`SET <key> <owner> NX PX <ttl>`): the
 * first caller gets it, the others get null until it is released or its TTL runs out (a crashed holder
 * frees it by itself). The TTL must outlast the work.
 */
export class RedisLock {
  constructor(private readonly redis: Redis) {}

  async acquire(key: string, ttlMs: number): Promise<HeldLock | null> {
    const owner = randomUUID();
    if ((await this.redis.set(key, owner, 'PX', ttlMs, 'NX')) !== 'OK') return null;
    return {
      release: async () => {
        await this.redis.eval(RELEASE_LOCK_SCRIPT, 1, key, owner).catch(() => undefined);
      },
    };
  }
}
