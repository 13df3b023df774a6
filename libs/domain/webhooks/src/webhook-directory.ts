import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { DataSource, EntitySubscriberInterface } from 'typeorm';
import { PromiseCache } from '@appconda/core';
import { MAX_LIST_LIMIT, WebhookEntity, WebhookRepository } from '@appconda/database';

/** How long a project's webhook list is reused; edits made by another process show up within it. */
export const WEBHOOK_CACHE_TTL_MS = 2000;

/**
 * The webhooks of each project, through a short-lived in-process cache (like ProjectContextService), so
 * that publishing an event in a project without webhooks costs no query. Any webhook write made through
 * this process's DataSource (the projects API runs in the same process as the event publisher) clears
 * the cache at once, so a webhook is live for the very next request.
 */
@Injectable()
export class WebhookDirectory implements EntitySubscriberInterface<WebhookEntity>, OnModuleDestroy {
  private readonly cache = new PromiseCache<WebhookEntity[]>(WEBHOOK_CACHE_TTL_MS);

  constructor(
    private readonly webhooks: WebhookRepository,
    @Optional() private readonly dataSource?: DataSource,
  ) {
    dataSource?.subscribers.push(this);
  }

  forProject(projectId: string): Promise<WebhookEntity[]> {
    return this.cache.get(projectId, () => this.webhooks.list(projectId, { limit: MAX_LIST_LIMIT }));
  }

  /** Forgets one project's webhooks, or every project's. */
  invalidate(projectId?: string): void {
    if (projectId === undefined) this.cache.clear();
    else this.cache.delete(projectId);
  }

  // TypeORM entity subscriber: update/delete statements do not always carry the row, so any write clears all.
  listenTo(): typeof WebhookEntity {
    return WebhookEntity;
  }

  afterInsert(): void {
    this.invalidate();
  }

  afterUpdate(): void {
    this.invalidate();
  }

  afterRemove(): void {
    this.invalidate();
  }

  onModuleDestroy(): void {
    const subscribers = this.dataSource?.subscribers;
    const index = subscribers?.indexOf(this) ?? -1;
    if (index >= 0) subscribers!.splice(index, 1);
  }
}
