import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { QueueName, WebhookJob } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * Delivery of one change to a project's webhook: adapts each Bull job of the queue to the JobHandler that
 * WebhooksModule (@appconda/webhooks) binds to `jobHandlerToken(QueueName.Webhooks)`. Without it every job
 * would fail, be retried and then dead-lettered, and the boot would log `job_handler_missing`.
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
