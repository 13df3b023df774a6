import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { QueueModule } from '@appconda/queue';
import { WebhooksModule } from '@appconda/webhooks';

import { WebhooksProcessor } from './webhooks.processor';

/** Consumes QueueName.Webhooks: each job POSTs one change to a project's webhook (WebhooksJobHandler). */
@Module({ imports: [DatabaseModule.forRoot(), QueueModule.forWorker(QueueName.Webhooks), WebhooksModule], providers: [WebhooksProcessor] })
export class WorkerWebhooksModule {}
