import { Injectable, Module, SetMetadata } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { JobContext, JobHandler, jobHandlerToken } from '@appconda/queue';

/**
 * Deletes jobs carry many types (projects, users, teams, buckets, …) owned by different domain libs,
 * but a queue has one JobHandler. This dispatch lets each lib handle its own types:
 *
 *   @Injectable() @HandlesDeletes(DeleteJobType.Users)
 *   export class UserDeletes implements DeleteTypeHandler { handleDelete(job, context) { … } }
 *
 * and worker-deletes imports those libs' modules plus DeletesDispatchModule, which binds
 * `jobHandlerToken(QueueName.Deletes)`. Every provider registered for a type runs (in discovery order);
 * a type without any handler fails the job so it is retried and dead-lettered, never dropped.
 * (Generic on purpose: it could live in libs/queue.)
 */
export const DELETES_HANDLER_TYPES = 'appconda:deletes-handler-types';

export interface DeleteTypeHandler {
  handleDelete(job: DeleteJob, context: JobContext): Promise<unknown>;
}

/** Marks a provider as the handler of these delete job types. */
export function HandlesDeletes(...types: DeleteJobType[]): ClassDecorator {
  return SetMetadata(DELETES_HANDLER_TYPES, types);
}

export class UnhandledDeleteTypeError extends Error {
  override name = 'UnhandledDeleteTypeError';
}

@Injectable()
export class DeletesDispatcher implements JobHandler<QueueName.Deletes> {
  private handlers: Map<string, DeleteTypeHandler[]> | undefined;

  constructor(private readonly discovery: DiscoveryService) {}

  async handle(job: DeleteJob, context: JobContext): Promise<unknown> {
    const handlers = this.registry().get(job.type) ?? [];
    if (handlers.length === 0) throw new UnhandledDeleteTypeError(`no provider handles deletes of type "${job.type}"`);
    const results: unknown[] = [];
    for (const handler of handlers) results.push(await handler.handleDelete(job, context));
    return results.length === 1 ? results[0] : results;
  }

  /** The types each discovered provider declared with @HandlesDeletes. */
  registry(): Map<string, DeleteTypeHandler[]> {
    if (this.handlers) return this.handlers;
    const handlers = new Map<string, DeleteTypeHandler[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as DeleteTypeHandler | undefined;
      const types = instance?.constructor ? (Reflect.getMetadata(DELETES_HANDLER_TYPES, instance.constructor) as DeleteJobType[] | undefined) : undefined;
      if (!types || typeof instance?.handleDelete !== 'function') continue;
      for (const type of types) {
        const list = handlers.get(type) ?? [];
        if (!list.includes(instance)) list.push(instance);
        handlers.set(type, list);
      }
    }
    this.handlers = handlers;
    return handlers;
  }
}

/** Binds the deletes queue's JobHandler to the dispatch; import it once, in worker-deletes. */
@Module({
  imports: [DiscoveryModule],
  providers: [DeletesDispatcher, { provide: jobHandlerToken(QueueName.Deletes), useExisting: DeletesDispatcher }],
  exports: [jobHandlerToken(QueueName.Deletes)],
})
export class DeletesDispatchModule {}
