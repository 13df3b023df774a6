import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { QueueName, WebhookJob } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * Delivery of one event to a project's webhooks: adapts each Bull job of the queue to the handler a feature
 * lib binds to `jobHandlerToken(QueueName.Webhooks)`. Until one is bound every job fails, is retried and then
 * dead-lettered, and the boot logs `job_handler_missing`.
 */
@Processor(QueueName.Webhooks)
export class WebhooksProcessor extends QueueProcessor<QueueName.Webhooks> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Webhooks)) handler?: JobHandler<QueueName.Webhooks>) {
    super(QueueName.Webhooks, handler);
  }

  @Process()
  process(job: Job<WebhookJob>): Promise<unknown> {
    return this.run(job);
  }
}
