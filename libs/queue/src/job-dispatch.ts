import { Injectable, OnApplicationBootstrap, Provider, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JobPayload, QueueName } from '@appconda/contracts';

import { JobContext, JobHandler, jobHandlerToken } from './queue.processor';

/** Queues whose payloads carry a `type` (deletes, databases, builds…): one handler per type. */
type TypedQueue = { [Q in QueueName]: JobPayload[Q] extends { type: string } ? Q : never }[QueueName];
type JobType<Q extends TypedQueue> = JobPayload[Q] extends { type: infer T } ? T : never;

const HANDLES_JOB = 'appconda:handles-job';

interface HandlesJobMetadata {
  queue: QueueName;
  types: string[];
}

/**
 * Marks a provider as the handler of some job types of a queue, e.g.
 * `@HandlesJob(QueueName.Deletes, DeleteJobType.Users)` on a class with `handle(payload, context)`.
 * Several feature libs can then share one worker queue: the dispatcher routes each job by its type.
 */
export function HandlesJob<Q extends TypedQueue>(queue: Q, ...types: JobType<Q>[]): ClassDecorator {
  return SetMetadata(HANDLES_JOB, { queue, types: types as unknown as string[] } satisfies HandlesJobMetadata);
}

/**
 * The queue's JobHandler in apps that use typed handlers: finds every `@HandlesJob(queue, …)`
 * provider at boot and routes each job by `type`. Several libs may handle one type (a project delete
 * is cleaned up by every capability that stores project data): they run one after the other, and
 * each must be idempotent, since a failure in any retries the whole job. A job whose type nobody
 * handles fails (retried, then dead-lettered), never silently succeeds.
 */
@Injectable()
export class JobTypeDispatcher<Q extends TypedQueue> implements JobHandler<Q>, OnApplicationBootstrap {
  private readonly handlers = new Map<string, JobHandler<Q>[]>();

  constructor(
    private readonly queue: Q,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype as unknown;
      if (typeof type !== 'function' || !wrapper.instance) continue;
      const metadata = Reflect.getMetadata(HANDLES_JOB, type) as HandlesJobMetadata | undefined;
      if (!metadata || metadata.queue !== this.queue) continue;
      for (const jobType of metadata.types) {
        const list = this.handlers.get(jobType) ?? [];
        if (!list.includes(wrapper.instance as JobHandler<Q>)) list.push(wrapper.instance as JobHandler<Q>);
        this.handlers.set(jobType, list);
      }
    }
  }

  /** Job types with a handler in this app. */
  get types(): string[] {
    return [...this.handlers.keys()].sort();
  }

  async handle(payload: JobPayload[Q], context: JobContext): Promise<unknown> {
    const type = (payload as { type: string }).type;
    const handlers = this.handlers.get(type) ?? [];
    if (!handlers.length) throw new Error(`no handler for ${this.queue} jobs of type "${type}" in this worker`);
    const results: unknown[] = [];
    for (const handler of handlers) results.push(await handler.handle(payload, context));
    return results.length === 1 ? results[0] : results;
  }
}

/** Provides the dispatcher as the queue's JobHandler (add to the worker module's providers). */
export function jobTypeDispatcher<Q extends TypedQueue>(queue: Q): Provider {
  return {
    provide: jobHandlerToken(queue),
    inject: [DiscoveryService],
    useFactory: (discovery: DiscoveryService) => new JobTypeDispatcher(queue, discovery),
  };
}
