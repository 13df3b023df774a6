import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { DeleteJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * Cascading deletes and retention sweeps: adapts each Bull job of the queue to the handler a feature
 * lib binds to `jobHandlerToken(QueueName.Deletes)`. Until one is bound every job fails, is retried and then
 * dead-lettered, and the boot logs `job_handler_missing`.
 */
@Processor(QueueName.Deletes)
export class DeletesProcessor extends QueueProcessor<QueueName.Deletes> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Deletes)) handler?: JobHandler<QueueName.Deletes>) {
    super(QueueName.Deletes, handler);
  }

  @Process()
  process(job: Job<DeleteJob>): Promise<unknown> {
    return this.run(job);
  }
}
