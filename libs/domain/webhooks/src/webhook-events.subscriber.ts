import { Inject, Injectable, Optional } from '@nestjs/common';
import { QueueName, WebhookJob } from '@appconda/contracts';
import { CONSOLE_PROJECT_ID } from '@appconda/database';
import { EnqueueOptions, InjectJobQueue, JobQueue } from '@appconda/queue';
import { AppEvent, EventSubscriber } from '@appconda/transport';

import { WebhookDirectory } from './webhook-directory';
import { matchingWebhooks } from './webhook-matching';

/** Overrides of the queue defaults for webhook jobs (tests shorten the backoff). */
export const WEBHOOK_JOB_OPTIONS = Symbol('WEBHOOK_JOB_OPTIONS');

/** The event payload as a JSON object body: routes without a model (204) deliver `{}`. */
function payloadObject(payload: unknown): Record<string, unknown> {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
}

/**
 * Runs in the API process for every published change: enqueues one durable job per webhook of the
 * project that subscribes to one of the change's event names. The console's own events never leave.
 */
@Injectable()
export class WebhookEventSubscriber implements EventSubscriber {
  constructor(
    private readonly directory: WebhookDirectory,
    @InjectJobQueue(QueueName.Webhooks) private readonly queue: JobQueue<QueueName.Webhooks>,
    @Optional() @Inject(WEBHOOK_JOB_OPTIONS) private readonly options: EnqueueOptions = {},
  ) {}

  async onEvent(event: AppEvent): Promise<void> {
    if (event.projectId === CONSOLE_PROJECT_ID || event.events.length === 0) return;
    const targets = matchingWebhooks(await this.directory.forProject(event.projectId), event.events);
    if (targets.length === 0) return;
    const payload = payloadObject(event.payload);
    await Promise.all(
      targets.map((webhook) => {
        const job: WebhookJob = { projectId: event.projectId, webhookIds: [webhook.uid], events: event.events, payload, eventId: event.id };
        if (event.userId) job.userId = event.userId;
        // One job per (change, webhook): enqueueing the same change twice adds nothing.
        return this.queue.add(job, { ...this.options, jobId: `${event.projectId}.${event.id}.${webhook.uid}` });
      }),
    );
  }
}
