import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { FunctionJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * Async, event and schedule executions: adapts each Bull job of the queue to the handler a feature
 * lib binds to `jobHandlerToken(QueueName.Functions)`. Until one is bound every job fails, is retried and then
 * dead-lettered, and the boot logs `job_handler_missing`.
 */
@Processor(QueueName.Functions)
export class FunctionsProcessor extends QueueProcessor<QueueName.Functions> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Functions)) handler?: JobHandler<QueueName.Functions>) {
    super(QueueName.Functions, handler);
  }

  @Process()
  process(job: Job<FunctionJob>): Promise<unknown> {
    return this.run(job);
  }
}
