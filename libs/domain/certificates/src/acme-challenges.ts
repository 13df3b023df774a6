import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS, REDIS_PREFIX } from '@appconda/transport';

/** An HTTP-01 token as Appwrite 1.3's challenge route accepts it: up to 100 letters, digits, `-` and `_`. */
export const ACME_TOKEN = /^[A-Za-z0-9_-]{1,100}$/;

/** A challenge outlives any order by far; the worker removes it as soon as the CA has checked it. */
const CHALLENGE_TTL_MS = 60 * 60 * 1000;

/**
 * HTTP-01 key authorizations shared through Redis (`<prefix>:acme:challenge:<token>`): worker-certificates
 * puts one while the CA validates, and whichever api replica the CA reaches answers it.
 */
@Injectable()
export class AcmeChallenges {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
  ) {}

  async put(token: string, keyAuthorization: string): Promise<void> {
    await this.redis.set(this.key(token), keyAuthorization, 'PX', CHALLENGE_TTL_MS);
  }

  /** The key authorization of a pending challenge, or null (unknown, expired or malformed token). */
  async get(token: string): Promise<string | null> {
    return ACME_TOKEN.test(token) ? this.redis.get(this.key(token)) : null;
  }

  async remove(token: string): Promise<void> {
    await this.redis.del(this.key(token));
  }

  private key(token: string): string {
    if (!ACME_TOKEN.test(token)) throw new Error('invalid ACME challenge token');
    return `${this.prefix}:acme:challenge:${token}`;
  }
}
