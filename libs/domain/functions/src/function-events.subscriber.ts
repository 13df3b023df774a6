import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { DataSource, EntitySubscriberInterface } from 'typeorm';
import { QueueName } from '@appconda/contracts';
import { PromiseCache } from '@appconda/core';
import { CONSOLE_PROJECT_ID, FunctionEntity, FunctionRepository } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { AppEvent, EventSubscriber } from '@appconda/transport';
import { createHash } from 'node:crypto';

/** How long a project's event-subscribed functions are reused; writes through this process clear it at once. */
const CACHE_TTL_MS = 2000;

type Subscribed = Pick<FunctionEntity, 'uid' | 'internalId' | 'events'>;

/** The execution id of one event's run of one function: the same event never runs a function twice. */
export function eventExecutionId(projectId: string, eventId: string, functionId: string): string {
  return createHash('sha256').update(`${projectId}\u0000${eventId}\u0000${functionId}`).digest('hex').slice(0, 20);
}

/**
 * Event triggers (1.3 functions worker): for every published change, one `v1-functions` job per enabled
 * function of the project whose `events` intersect the change's names. Never for the console project,
 * and never for a function's own execution events (a function listening to its executions would
 * otherwise trigger itself forever).
 */
@Injectable()
export class FunctionEventSubscriber implements EventSubscriber, EntitySubscriberInterface<FunctionEntity>, OnModuleDestroy {
  private readonly cache = new PromiseCache<Subscribed[]>(CACHE_TTL_MS);

  constructor(
    private readonly functions: FunctionRepository,
    @InjectJobQueue(QueueName.Functions) private readonly queue: JobQueue<QueueName.Functions>,
    @Optional() private readonly dataSource?: DataSource,
  ) {
    dataSource?.subscribers.push(this);
  }

  async onEvent(event: AppEvent): Promise<void> {
    if (event.projectId === CONSOLE_PROJECT_ID || event.events.length === 0) return;
    const fired = new Set(event.events);
    const targets = (await this.cache.get(event.projectId, () => this.functions.listWithEvents(event.projectId))).filter(
      (fn) => fn.events.some((name) => fired.has(name)) && !fired.has(`functions.${fn.uid}.executions.*`),
    );
    if (!targets.length) return;
    const eventData = JSON.stringify(event.payload ?? {});
    await Promise.all(
      targets.map((fn) =>
        this.queue.add({
          trigger: 'event',
          projectId: event.projectId,
          functionId: fn.uid,
          executionId: eventExecutionId(event.projectId, event.id, fn.uid),
          events: event.events,
          eventData,
          ...(event.userId ? { userId: event.userId } : {}),
        }),
      ),
    );
  }

  // TypeORM entity subscriber: any function write clears every project's list (updates may not carry the row).
  listenTo(): typeof FunctionEntity {
    return FunctionEntity;
  }

  afterInsert(): void {
    this.cache.clear();
  }

  afterUpdate(): void {
    this.cache.clear();
  }

  afterRemove(): void {
    this.cache.clear();
  }

  onModuleDestroy(): void {
    const subscribers = this.dataSource?.subscribers;
    const index = subscribers?.indexOf(this) ?? -1;
    if (index >= 0) subscribers!.splice(index, 1);
  }
}
