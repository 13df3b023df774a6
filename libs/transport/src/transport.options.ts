import { AppConfig } from '@appconda/config';
import { RedisOptions, Transport } from '@nestjs/microservices';

/**
 * Nest's Redis transport stops reconnecting for good once `retryAttempts` consecutive attempts failed
 * ("Retry time exhausted"): with 20 × 500 ms, a Redis restart longer than ten seconds silently cut
 * every app off the transport (health patterns, RPC, events) until the process restarted. It retries
 * for as long as the process lives instead, once a second.
 */
export const TRANSPORT_RETRY = { attempts: Number.MAX_SAFE_INTEGER, delayMs: 1000 };

/** The Redis transport every app joins (hybrid apps and pure microservices alike). */
export function redisTransport(config: AppConfig): RedisOptions {
  const redis = config.get('redis');
  return {
    transport: Transport.REDIS,
    options: {
      host: redis.host,
      port: redis.port,
      username: redis.username,
      password: redis.password,
      retryAttempts: TRANSPORT_RETRY.attempts,
      retryDelay: TRANSPORT_RETRY.delayMs,
    },
  };
}

/** Prefix of every Redis key, queue and transport pattern of this installation. */
export function redisPrefix(config: AppConfig): string {
  return config.get('redisPrefix');
}
