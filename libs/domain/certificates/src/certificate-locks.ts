import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { HeldLock, REDIS, REDIS_PREFIX, RedisLock } from '@appconda/transport';

/** Longer than any order takes; a crashed worker's lock frees itself after this. */
const LOCK_TTL_MS = 10 * 60 * 1000;

/** Another worker holds the domain's lock (an order in progress): the job is retried later (Bull backoff). */
export class CertificateBusyError extends Error {
  override name = 'CertificateBusyError';
}

/**
 * One lock per domain name across every worker and replica (`<prefix>:lock:certificate:<domain>`), held
 * while a certificate is ordered or removed, so two never touch the same certificate at once.
 */
@Injectable()
export class CertificateLocks {
  private readonly lock: RedisLock;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
  ) {
    this.lock = new RedisLock(redis);
  }

  /** The Redis key of a domain's lock. */
  key(domain: string): string {
    return `${this.prefix}:lock:certificate:${domain}`;
  }

  /** @throws CertificateBusyError while another worker holds it. */
  async acquire(domain: string): Promise<HeldLock> {
    const held = await this.lock.acquire(this.key(domain), LOCK_TTL_MS);
    if (!held) throw new CertificateBusyError(`another worker is working on the certificate of ${domain}`);
    return held;
  }
}
