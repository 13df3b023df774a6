import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RealtimeErrorText, RealtimeEventMessage } from '@appconda/contracts';
import { serviceLogger, toApiDate } from '@appconda/core';
import { IdentityResolverService, ProjectContextService } from '@appconda/identity';
import { AppEvent, eventsPattern, parseEventPacket, REDIS, REDIS_PREFIX } from '@appconda/transport';
import type Redis from 'ioredis';

import { EventTarget, roleChangeOf, RoleChange, targetsOf } from './channels';
import { RealtimeServer } from './realtime.server';

const logger = serviceLogger('realtime');

/** Events waiting while an earlier one reads the database; beyond this the oldest are dropped. */
export const MAX_PENDING_EVENTS = 10_000;

/**
 * Delivers the event bus to this process's connections. Every realtime process subscribes to the one
 * Redis channel the API publishes each change on, and filters with its own subscription index.
 *
 * Events are handled in the order published. Most need nothing but the index; an event that changes
 * someone's roles (memberships, sessions, blocked or deleted users) first re-reads the roles of the
 * connections it concerns, and the events after it wait, in a bounded queue.
 */
@Injectable()
export class RealtimeEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscriber?: Redis;
  /** Handled entries are cleared (undefined) until the array is compacted. */
  private readonly queue: (AppEvent | undefined)[] = [];
  private head = 0;
  private draining = false;
  private droppedSince = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
    private readonly projects: ProjectContextService,
    private readonly resolver: IdentityResolverService,
    private readonly server: RealtimeServer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', (err: Error) => logger.warn({ err: err.message }, 'event subscription connection error'));
    subscriber.on('message', (_channel: string, raw: string) => {
      const event = parseEventPacket(raw);
      if (event) this.enqueue(event);
    });
    await subscriber.subscribe(eventsPattern(this.prefix));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Takes one event from the bus (public for tests and the benchmark's in-process runs). */
  enqueue(event: AppEvent): void {
    if (this.queue.length - this.head >= MAX_PENDING_EVENTS) {
      this.head += 1;
      if (this.droppedSince++ === 0) logger.warn({ max: MAX_PENDING_EVENTS }, 'realtime event queue full: dropping the oldest events');
    }
    this.queue.push(event);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.head < this.queue.length) {
        const event = this.queue[this.head] as AppEvent;
        this.queue[this.head++] = undefined;
        try {
          const pending = this.handle(event);
          if (pending) await pending;
        } catch (err) {
          logger.error({ err, events: event.events.slice(0, 2) }, 'realtime event failed');
        }
        if (this.head >= 1024) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
      }
      this.queue.length = 0;
      this.head = 0;
      if (this.droppedSince) logger.warn({ dropped: this.droppedSince }, 'realtime event queue drained after dropping events');
      this.droppedSince = 0;
    } finally {
      this.draining = false;
    }
  }

  /** Delivers one event; returns a promise only when it has to read the database first. */
  private handle(event: AppEvent): Promise<void> | undefined {
    const change = roleChangeOf(event);
    const users = change ? this.affectedUsers(event.projectId, change) : undefined;
    const targets = targetsOf(event);
    if (!users?.size && targets.every((target) => target.roles)) {
      this.publish(event, targets);
      return undefined;
    }
    return (async () => {
      if (users?.size) await this.refresh(event.projectId, users);
      this.publish(event, await Promise.all(targets.map((target) => this.withOwnerRoles(target))));
    })();
  }

  private publish(event: AppEvent, targets: EventTarget[]): void {
    let encoded: { channels: string[]; data: Buffer } | undefined;
    for (const target of targets) {
      if (!target.roles?.length || !this.server.index.hasProject(target.projectId)) continue;
      if (encoded?.channels !== target.channels) {
        const message: RealtimeEventMessage = { type: 'event', data: { events: event.events, channels: target.channels, timestamp: toApiDate(event.time), payload: event.payload } };
        encoded = { channels: target.channels, data: Buffer.from(JSON.stringify(message)) };
      }
      this.server.deliver(target.projectId, target.roles, target.channels, encoded.data);
    }
  }

  /** Console-only families go to the console team owning the project (1.3: `team:<project teamId>`). */
  private async withOwnerRoles(target: EventTarget): Promise<EventTarget> {
    if (target.roles || !target.ownerProjectId) return target;
    const owner = await this.projects.find(target.ownerProjectId);
    return { ...target, roles: owner?.teamId ? [`team:${owner.teamId}`] : [] };
  }

  /** The users with connections here whose roles the change may touch. */
  private affectedUsers(projectId: string, change: RoleChange): Set<string> {
    const users = new Set<string>();
    for (const userId of change.userIds) if (this.server.index.ofUser(projectId, userId).length) users.add(userId);
    for (const teamId of change.teamIds) for (const userId of this.server.index.usersWithRole(projectId, `team:${teamId}`)) users.add(userId);
    return users;
  }

  /**
   * Better than 1.3: every connection of these users gets its roles read again (removed as well as
   * added); a connection whose session is gone, or whose user was deleted or blocked, is closed. The
   * close carries no `error` message, so the web SDK reconnects, as whoever its cookies now say.
   */
  private async refresh(projectId: string, users: Set<string>): Promise<void> {
    const project = await this.projects.find(projectId);
    if (!project) return;
    for (const userId of users) {
      const standing = await this.resolver.standing(project, userId);
      for (const connection of this.server.index.ofUser(projectId, userId)) {
        const signedOut = !standing.user || standing.user.status === false || (connection.sessionId !== undefined && !standing.sessionIds.has(connection.sessionId));
        if (signedOut) connection.close(1008, RealtimeErrorText.InvalidSession);
        else this.server.resubscribe(connection, { roles: standing.roles });
      }
    }
  }
}
