import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientsModule } from '@nestjs/microservices';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';

import { REDIS_PREFIX, RedisModule } from './redis.module';
import { redisTransport } from './transport.options';

/** One change, as every consumer (realtime, webhooks, functions) receives it. */
export interface AppEvent {
  projectId: string;
  /** Every concrete event name the change fires (buildEvents of the route's templates). */
  events: string[];
  /** The resource model the route answered with. */
  payload: unknown;
  userId?: string;
  /** ISO 8601. */
  time: string;
}

/** The transport pattern events travel on (prefixed like every pattern of the installation). */
export function eventsPattern(prefix: string): string {
  return `${prefix}.events`;
}

const EVENT_BUS_CLIENT = Symbol('EVENT_BUS_CLIENT');
const logger = serviceLogger('event-bus');

/**
 * Publishes changes on the Redis transport, where realtime and the webhook/function dispatchers listen.
 * Fire-and-forget: a publish never delays or fails the request that caused it.
 */
@Injectable()
export class EventBus implements OnApplicationShutdown {
  private readonly pattern: string;

  constructor(
    @Inject(EVENT_BUS_CLIENT) private readonly client: ClientProxy,
    @Inject(REDIS_PREFIX) prefix: string,
  ) {
    this.pattern = eventsPattern(prefix);
  }

  publish(event: AppEvent): void {
    this.client.emit(this.pattern, event).subscribe({ error: (err) => logger.error({ err, events: event.events.slice(0, 3) }, 'event publish failed') });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

@Global()
@Module({
  imports: [RedisModule, ClientsModule.registerAsync([{ name: EVENT_BUS_CLIENT, inject: [AppConfig], useFactory: (config: AppConfig) => redisTransport(config) }])],
  providers: [EventBus],
  exports: [EventBus],
})
export class EventBusModule {}
