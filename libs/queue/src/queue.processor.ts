import { OnModuleInit } from '@nestjs/common';
import { Job } from 'bull';
import { Logger } from 'pino';
import { JobPayload, QUEUE_SERVICES, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';

import { payloadProblems } from './job-validation';

/** What a handler learns about the job besides its payload. */
export interface JobContext {
  jobId: string;
  queue: QueueName;
  /** 1 for the first try. */
  attempt: number;
  /** When the job was enqueued (epoch ms); stable across retries. */
  enqueuedAt: number;
}

/**
 * The domain side of a worker: feature libs implement it and provide it under `jobHandlerToken(queue)`;
 * the worker app's processor only adapts the Bull job to this call. Throwing makes Bull retry.
 */
export interface JobHandler<Q extends QueueName> {
  handle(payload: JobPayload[Q], context: JobContext): Promise<unknown>;
}

/** Injection token of a queue's JobHandler. */
export function jobHandlerToken(queue: QueueName): string {
  return `JobHandler:${queue}`;
}

/** A payload that does not match its queue's contract: retrying cannot fix it, so it is dead-lettered at once. */
export class InvalidJobError extends Error {
  override name = 'InvalidJobError';
}

/** No handler is bound for the queue: the job fails (and retries, then dead-letters) instead of vanishing. */
export class MissingJobHandlerError extends Error {
  override name = 'MissingJobHandlerError';
}

/**
 * Base of every worker's processor: validates the payload against the contract, delegates to the
 * handler, and logs each job (service, queue, id, attempt, duration). Subclasses add `@Processor(queue)`
 * and a `@Process()` method that calls `run(job)`.
 */
export abstract class QueueProcessor<Q extends QueueName> implements OnModuleInit {
  protected readonly logger: Logger;

  protected constructor(
    protected readonly queue: Q,
    private readonly handler: JobHandler<Q> | undefined,
  ) {
    this.logger = serviceLogger(QUEUE_SERVICES[queue]);
  }

  onModuleInit(): void {
    if (this.handler) return;
    this.logger.warn(
      { event: 'job_handler_missing', queue: this.queue, handler: jobHandlerToken(this.queue) },
      `no ${jobHandlerToken(this.queue)} provider: every ${this.queue} job will fail until a feature module provides it`,
    );
  }

  protected async run(job: Job<JobPayload[Q]>): Promise<unknown> {
    const started = Date.now();
    const context: JobContext = { attempt: job.attemptsMade + 1, enqueuedAt: job.timestamp, jobId: String(job.id), queue: this.queue };
    const fields = { attempt: context.attempt, attempts: job.opts.attempts, jobId: context.jobId, queue: this.queue };
    this.logger.debug({ event: 'job_started', ...fields }, `job ${context.jobId} started`);
    try {
      const problems = payloadProblems(this.queue, job.data);
      if (problems.length > 0) {
        await job.discard();
        throw new InvalidJobError(`invalid ${this.queue} payload: ${problems.join('; ')}`);
      }
      if (!this.handler) throw new MissingJobHandlerError(`no handler is bound to ${jobHandlerToken(this.queue)}`);
      const result = await this.handler.handle(job.data, context);
      this.logger.info({ event: 'job_completed', ...fields, ms: Date.now() - started }, `job ${context.jobId} completed`);
      return result;
    } catch (error) {
      this.logger.warn({ event: 'job_failed', ...fields, ms: Date.now() - started, err: error }, `job ${context.jobId} failed: ${error?.message ?? error}`);
      throw error;
    }
  }
}
