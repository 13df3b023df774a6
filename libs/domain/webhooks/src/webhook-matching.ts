/** The parts of a stored webhook that decide whether an event reaches it. */
export interface WebhookTarget {
  uid: string;
  events: string[];
}

/** True when the webhook subscribes to at least one of the names the change fired. */
export function subscribes(webhook: Pick<WebhookTarget, 'events'>, events: readonly string[]): boolean {
  if (!Array.isArray(webhook.events) || webhook.events.length === 0) return false;
  const fired = new Set(events);
  return webhook.events.some((name) => fired.has(name));
}

/** The webhooks (in their stored order) that one change must be delivered to. */
export function matchingWebhooks<W extends WebhookTarget>(webhooks: readonly W[], events: readonly string[]): W[] {
  return webhooks.filter((webhook) => subscribes(webhook, events));
}
