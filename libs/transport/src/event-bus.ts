import { Global, Inject, Injectable, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { serviceLogger } from '@appconda/core';
import type Redis from 'ioredis';

import { REDIS, REDIS_PREFIX, RedisModule } from './redis.module';

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
  /**
   * Roles that may read the changed resource, set by the routes that know them: for documents the
   * collection's read roles plus the document's own with documentSecurity, for files the bucket's
   * plus the file's with fileSecurity. Realtime delivers such events only to these roles (`any` for
   * everyone); families whose readers follow from the event name (users, teams) leave it out.
   */
  readRoles?: string[];
  /**
   * For an event of the console project about a project's resource (worker-databases reporting an
   * attribute or index status to the console): that project, whose owning team may read it.
   */
  subjectProjectId?: string;
}

/** The transport pattern events travel on (prefixed like every pattern of the installation). */
export function eventsPattern(prefix: string): string {
  return `${prefix}.events`;
}

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
 * How a failed subscriber call is retried: a Redis or MariaDB restart makes the enqueue fail for a
 * while, and the change it follows is already committed, so the work is retried (subscribers are
 * idempotent: webhook jobs carry a jobId per change and webhook) with a growing delay, for at most
 * `giveUpMs`; at most `maxPending` changes wait at once, so an endless outage cannot eat the memory.
 */
export const SUBSCRIBER_RETRY = { firstDelayMs: 500, maxDelayMs: 5_000, giveUpMs: 10 * 60_000, maxPending: 10_000 };

/**
 * Publishes changes on the Redis transport, where realtime and the webhook/function dispatchers listen.
 * Fire-and-forget: a publish never delays or fails the request that caused it.
 *
 * The message is the packet `@nestjs/microservices`' Redis transport emits (`{ pattern, data }` on the
 * channel named by the pattern), so an `@EventPattern(eventsPattern(prefix))` handler receives it; it is
 * written with the process's shared, auto-pipelined client instead of a ClientProxy, which costs an rxjs
 * observable and a connection of its own per publish path.
 */
@Injectable()
export class EventBus implements OnApplicationShutdown {
  private readonly pattern: string;
  /** Retries waiting for their timer, per change and subscriber. */
  private readonly retries = new Set<NodeJS.Timeout>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) prefix: string,
    @Optional() @Inject(EVENT_SUBSCRIBERS) private readonly subscribers: EventSubscriber[] = [],
  ) {
    this.pattern = eventsPattern(prefix);
  }

  publish(event: AppEvent): void {
    this.redis
      .publish(this.pattern, JSON.stringify({ pattern: this.pattern, data: event }))
      .catch((err: unknown) => logger.error({ err, events: event.events.slice(0, 3) }, 'event publish failed'));
    for (const subscriber of this.subscribers) this.deliver(subscriber, event, 0, Date.now());
  }

  onApplicationShutdown(): void {
    if (this.retries.size > 0) logger.error({ event: 'event_subscriber_dropped', pending: this.retries.size }, 'shutting down with changes whose subscriber work never succeeded');
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
  }

  private deliver(subscriber: EventSubscriber, event: AppEvent, attempt: number, since: number): void {
    subscriber.onEvent(event).catch((err: unknown) => {
      const context = { err, eventId: event.id, subscriber: subscriber.constructor.name, attempt: attempt + 1 };
      if (Date.now() - since >= SUBSCRIBER_RETRY.giveUpMs || this.retries.size >= SUBSCRIBER_RETRY.maxPending) {
        logger.error({ ...context, event: 'event_subscriber_gave_up' }, 'event subscriber failed; giving the change up');
        return;
      }
      // One warning per change, not one per attempt.
      if (attempt === 0) logger.warn({ ...context, event: 'event_subscriber_retrying' }, 'event subscriber failed; retrying');
      const delay = Math.min(SUBSCRIBER_RETRY.firstDelayMs * 2 ** attempt, SUBSCRIBER_RETRY.maxDelayMs);
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        this.deliver(subscriber, event, attempt + 1, since);
      }, delay);
      this.retries.add(timer);
    });
  }
}

/**
 * The event inside a message published on `eventsPattern(prefix)` (a Nest transport packet), or
 * undefined when the message is not one: subscribers that listen without Nest (realtime) read it here.
 */
export function parseEventPacket(raw: string): AppEvent | undefined {
  let packet: { data?: Partial<AppEvent> };
  try {
    packet = JSON.parse(raw) as { data?: Partial<AppEvent> };
  } catch {
    return undefined;
  }
  const event = packet?.data;
  if (!event || typeof event.projectId !== 'string' || !Array.isArray(event.events) || typeof event.time !== 'string') return undefined;
  return event as AppEvent;
}

@Global()
@Module({
  imports: [RedisModule],
  providers: [EventBus],
  exports: [EventBus],
})
export class EventBusModule {}
