import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { DatabaseJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * Attribute/index DDL, database and collection teardown: adapts each Bull job of the queue to the handler a feature
 * lib binds to `jobHandlerToken(QueueName.Databases)`. Until one is bound every job fails, is retried and then
 * dead-lettered, and the boot logs `job_handler_missing`.
 */
@Processor(QueueName.Databases)
export class DatabasesProcessor extends QueueProcessor<QueueName.Databases> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Databases)) handler?: JobHandler<QueueName.Databases>) {
    super(QueueName.Databases, handler);
  }

  @Process()
  process(job: Job<DatabaseJob>): Promise<unknown> {
    return this.run(job);
  }
}
