import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { HandlesJob, JobHandler } from '@appconda/queue';
import { REDIS, REDIS_PREFIX } from '@appconda/transport';

import { cutoffOf } from './project-ids';

const logger = serviceLogger('worker-deletes');

/**
 * `abuse` retention (`_APP_MAINTENANCE_RETENTION_ABUSE`). Appwrite 1.3 keeps abuse counters as rows,
 * so its worker must delete old ones. Here they are the Redis keys `<prefix>:abuse:<key>:<windowStart>`
 * of @appconda/auth's limiter, which sets each key's TTL to its window in the same MULTI as the INCR
 * (`EXPIRE … NX`), so on Redis ≥ 7 they expire by themselves and this sweep finds nothing. It still
 * scans, because `EXPIRE … NX` is an error on Redis < 7 that the limiter does not check: there the
 * counters would never expire. It unlinks the windows that started before the cut-off; the count of
 * such keys that still had no TTL is logged, so a server that needs the sweep shows it.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Abuse)
export class AbuseRetentionHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
  ) {}

  async handle(job: DeleteJob): Promise<{ deleted: number; immortal: number; scanned: number }> {
    const cutoff = Math.floor(cutoffOf(job).getTime() / 1000);
    const result = { deleted: 0, immortal: 0, scanned: 0 };
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:abuse:*`, 'COUNT', 1000);
      cursor = next;
      result.scanned += keys.length;
      const old = keys.filter((key) => windowStartOf(key) < cutoff);
      if (!old.length) continue;
      const ttls = await Promise.all(old.map((key) => this.redis.ttl(key)));
      result.immortal += ttls.filter((ttl) => ttl === -1).length;
      result.deleted += await this.redis.unlink(...old);
    } while (cursor !== '0');
    logger.info({ event: 'abuse_retention', cutoff, ...result }, `deleted ${result.deleted} old abuse windows`);
    return result;
  }
}

/** The window start (epoch seconds) a limiter key ends with; Infinity for a key of another shape (kept). */
function windowStartOf(key: string): number {
  const start = Number(key.slice(key.lastIndexOf(':') + 1));
  return Number.isInteger(start) && start > 0 ? start : Number.POSITIVE_INFINITY;
}
