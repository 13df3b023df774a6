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
