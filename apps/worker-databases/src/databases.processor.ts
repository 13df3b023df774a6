import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { DatabaseJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * Attribute/index DDL on the real collection tables: adapts each Bull job of the queue to the handler
 * DatabasesModule (@appconda/databases) binds to `jobHandlerToken(QueueName.Databases)`. Without it every job
 * fails, is retried and then dead-lettered, and the boot logs `job_handler_missing`.
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
