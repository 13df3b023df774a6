import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { BuildJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * Deployment builds: adapts each Bull job of the queue to the handler a feature
 * lib binds to `jobHandlerToken(QueueName.Builds)`. Until one is bound every job fails, is retried and then
 * dead-lettered, and the boot logs `job_handler_missing`.
 */
@Processor(QueueName.Builds)
export class BuildsProcessor extends QueueProcessor<QueueName.Builds> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Builds)) handler?: JobHandler<QueueName.Builds>) {
    super(QueueName.Builds, handler);
  }

  @Process()
  process(job: Job<BuildJob>): Promise<unknown> {
    return this.run(job);
  }
}
