import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { MailJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/** Adapts Bull's mails jobs to the messaging lib's handler (payload checked by QueueProcessor). */
@Processor(QueueName.Mails)
export class MailsProcessor extends QueueProcessor<QueueName.Mails> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Mails)) handler?: JobHandler<QueueName.Mails>) {
    super(QueueName.Mails, handler);
  }

  @Process()
  process(job: Job<MailJob>): Promise<unknown> {
    return this.run(job);
  }
}
