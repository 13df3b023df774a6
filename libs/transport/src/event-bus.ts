import { Global, Inject, Injectable, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ClientProxy, ClientsModule } from '@nestjs/microservices';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';

import { REDIS_PREFIX, RedisModule } from './redis.module';
import { redisTransport } from './transport.options';

/** One change, as every consumer (realtime, webhooks, functions) receives it. */
export interface AppEvent {
  /** Unique per change: consumers use it to make their work idempotent. */
  id: string;
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

/**
 * Work that must follow a change durably (webhook deliveries, event-triggered functions): providers
 * registered under this token are called in the API process for every published event, where they
 * enqueue jobs. Pub/sub alone would lose events while no subscriber runs and duplicate them when
 * several do.
 */
export interface EventSubscriber {
  onEvent(event: AppEvent): Promise<void>;
}

export const EVENT_SUBSCRIBERS = Symbol('EVENT_SUBSCRIBERS');
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
    @Optional() @Inject(EVENT_SUBSCRIBERS) private readonly subscribers: EventSubscriber[] = [],
  ) {
    this.pattern = eventsPattern(prefix);
  }

  publish(event: AppEvent): void {
    this.client.emit(this.pattern, event).subscribe({ error: (err) => logger.error({ err, events: event.events.slice(0, 3) }, 'event publish failed') });
    for (const subscriber of this.subscribers) {
      subscriber.onEvent(event).catch((err: unknown) => logger.error({ err, eventId: event.id, subscriber: subscriber.constructor.name }, 'event subscriber failed'));
    }
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
