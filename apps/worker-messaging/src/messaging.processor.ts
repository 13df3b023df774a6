import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { MessagingJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/** Adapts Bull's messaging (SMS) jobs to the messaging lib's handler (payload checked by QueueProcessor). */
@Processor(QueueName.Messaging)
export class MessagingProcessor extends QueueProcessor<QueueName.Messaging> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Messaging)) handler?: JobHandler<QueueName.Messaging>) {
    super(QueueName.Messaging, handler);
  }

  @Process()
  process(job: Job<MessagingJob>): Promise<unknown> {
    return this.run(job);
  }
}
