import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { WebhooksProcessor } from './webhooks.processor';

/** Consumes QueueName.Webhooks; the feature module that provides its JobHandler joins `imports` when it lands. */
@Module({ imports: [QueueModule.forWorker(QueueName.Webhooks)], providers: [WebhooksProcessor] })
export class WorkerWebhooksModule {}
