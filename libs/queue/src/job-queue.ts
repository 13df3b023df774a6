import { Inject } from '@nestjs/common';
import { Queue } from 'bull';
import { JobPayload, QueueName } from '@appconda/contracts';

import { EnqueueOptions, jobOptions } from './queue.options';

/** Injection token of the typed producer of a queue. */
export function jobQueueToken(queue: QueueName): string {
  return `JobQueue:${queue}`;
}

/** Injects the typed producer registered by `QueueModule.forProducer(queue)`. */
export const InjectJobQueue = (queue: QueueName): ParameterDecorator => Inject(jobQueueToken(queue));

/**
 * Typed producer of one queue: the payload type follows from the queue name, and every job gets the
 * defaults of `jobOptions()`.
 */
export class JobQueue<Q extends QueueName> {
  constructor(
    readonly name: Q,
    private readonly queue: Queue<JobPayload[Q]>,
  ) {}

  /**
   * Enqueues one job and returns its id. With a jobId (explicit or natural) a second add of the same
   * id while the first job is still stored returns the existing id and adds nothing.
   */
  async add(payload: JobPayload[Q], options: EnqueueOptions = {}): Promise<string> {
    const job = await this.queue.add(payload, jobOptions(this.name, payload, options));
    return String(job.id);
  }
}
