import { Global, Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { jobHandlerToken, QueueModule } from '@appconda/queue';

import { WebhookDirectory } from './webhook-directory';
import { WebhookEventSubscriber } from './webhook-events.subscriber';
import { WebhooksJobHandler } from './webhooks.handler';

const WEBHOOKS_HANDLER = jobHandlerToken(QueueName.Webhooks);

/**
 * Worker side: the JobHandler worker-webhooks binds to its queue. Needs DatabaseModule (WebhookRepository)
 * and AppConfig in the app.
 */
@Module({ providers: [{ provide: WEBHOOKS_HANDLER, useClass: WebhooksJobHandler }], exports: [WEBHOOKS_HANDLER] })
export class WebhooksModule {}

/**
 * API side: the event subscriber that enqueues deliveries. Global, because the EVENT_SUBSCRIBERS list the
 * EventBus reads must be provided by a global module that injects it:
 *   { provide: EVENT_SUBSCRIBERS, inject: [WebhookEventSubscriber], useFactory: (s) => [s] }
 */
@Global()
@Module({ imports: [QueueModule.forProducer(QueueName.Webhooks)], providers: [WebhookDirectory, WebhookEventSubscriber], exports: [WebhookDirectory, WebhookEventSubscriber] })
export class WebhookEventsModule {}
