import { AppConfig } from '@appconda/config';
import { RedisOptions, Transport } from '@nestjs/microservices';

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
      retryAttempts: 20,
      retryDelay: 500,
    },
  };
}

/** Prefix of every Redis key, queue and transport pattern of this installation. */
export function redisPrefix(config: AppConfig): string {
  return config.get('redisPrefix');
}
