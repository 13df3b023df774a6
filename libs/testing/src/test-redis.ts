import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** A Redis key prefix of its own for one test file (pass it as `_APP_REDIS_PREFIX`; clean up with deleteRedisKeys). */
export function testRedisPrefix(): string {
  return `appconda_t_${randomBytes(6).toString('hex')}`;
}

/**
 * Deletes every key under a test's prefix (SCAN + UNLINK in batches), the only Redis cleanup tests
 * may do: never FLUSHDB/FLUSHALL, other runs share the server. Resolves how many keys went.
 */
export async function deleteRedisKeys(redis: Redis, prefix: string): Promise<number> {
  if (!prefix.startsWith('appconda_t_')) throw new Error(`refusing to delete keys outside a test prefix: "${prefix}"`);
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
