import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { APP_VERSION, QueueName, WebhookJob } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { CONSOLE_PROJECT_ID, WebhookEntity, WebhookRepository } from '@appconda/database';
import { JobContext, JobHandler } from '@appconda/queue';

import { sendWebhook } from './webhook-delivery';
import { subscribes } from './webhook-matching';
import { webhookSignature } from './webhook-signature';

export interface WebhookDeliverySettings {
  /** Budget of one POST (connect, send, answer); 1.3 gives curl 15 s. */
  timeoutMs: number;
}

export const WEBHOOK_DELIVERY_SETTINGS = Symbol('WEBHOOK_DELIVERY_SETTINGS');

const DEFAULT_SETTINGS: WebhookDeliverySettings = { timeoutMs: 15_000 };
const logger = serviceLogger('worker-webhooks');

/** The headers of one delivery, as 1.3's webhooks worker sends them. */
export function webhookHeaders(webhook: Pick<WebhookEntity, 'uid' | 'name' | 'url' | 'signatureKey'>, job: WebhookJob, body: string, userAgent: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': userAgent,
    'X-Appwrite-Webhook-Id': webhook.uid,
    'X-Appwrite-Webhook-Events': job.events.join(','),
    'X-Appwrite-Webhook-Name': webhook.name,
    'X-Appwrite-Webhook-User-Id': job.userId ?? '',
    'X-Appwrite-Webhook-Project-Id': job.projectId,
    'X-Appwrite-Webhook-Signature': webhookSignature(webhook.url, body, webhook.signatureKey),
  };
}

/**
 * Delivers one change to the webhooks a job names: reads each webhook as it is now (deleted or no longer
 * subscribed → skipped), POSTs the JSON payload and throws on any failure so Bull retries with backoff
 * and finally dead-letters the job.
 */
@Injectable()
export class WebhooksJobHandler implements JobHandler<QueueName.Webhooks> {
  private readonly userAgent: string;
  private readonly settings: WebhookDeliverySettings;

  constructor(
    private readonly webhooks: WebhookRepository,
    config: AppConfig,
    @Optional() @Inject(WEBHOOK_DELIVERY_SETTINGS) settings?: Partial<WebhookDeliverySettings>,
  ) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.userAgent = `Appwrite-Server v${APP_VERSION}. Please report abuse at ${config.get('system').securityEmailAddress}`;
  }

  async handle(job: WebhookJob, context: JobContext): Promise<{ delivered: string[] }> {
    const delivered: string[] = [];
    if (job.projectId === CONSOLE_PROJECT_ID) return { delivered };
    const body = JSON.stringify(job.payload);
    for (const webhookId of job.webhookIds) {
      const webhook = await this.webhooks.findByUid(job.projectId, webhookId);
      if (!webhook || !subscribes(webhook, job.events)) {
        logger.info({ event: 'webhook_skipped', projectId: job.projectId, webhookId, jobId: context.jobId }, 'webhook deleted or no longer subscribed');
        continue;
      }
      const status = await sendWebhook({
        url: webhook.url,
        body,
        headers: webhookHeaders(webhook, job, body, this.userAgent),
        httpUser: webhook.httpUser,
        httpPass: webhook.httpPass,
        security: webhook.security,
        timeoutMs: this.settings.timeoutMs,
      });
      logger.debug({ event: 'webhook_delivered', projectId: job.projectId, webhookId, status, attempt: context.attempt }, 'webhook delivered');
      delivered.push(webhookId);
    }
    return { delivered };
  }
}
