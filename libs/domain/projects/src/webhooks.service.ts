import { Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException, generateId, RequestContext } from '@appconda/core';
import { MAX_LIST_LIMIT, WebhookRepository } from '@appconda/database';
import { randomBytes } from 'node:crypto';

import { ProjectAccess } from './project-access';
import { WebhookDto } from './projects.dto';
import { toWebhookModel, Webhook } from './projects.models';

/** 1.3's webhook signature key: 64 random bytes, hex encoded. */
function signatureKey(): string {
  return randomBytes(64).toString('hex');
}

/** Project webhooks. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly access: ProjectAccess,
    private readonly webhooks: WebhookRepository,
  ) {}

  async list(ctx: RequestContext, projectId: string): Promise<{ total: number; webhooks: Webhook[] }> {
    const project = await this.access.project(ctx, projectId);
    const rows = await this.webhooks.list(project.uid, { limit: MAX_LIST_LIMIT });
    return { total: rows.length, webhooks: rows.map(toWebhookModel) };
  }

  async create(ctx: RequestContext, projectId: string, dto: WebhookDto): Promise<Webhook> {
    const project = await this.access.project(ctx, projectId);
    const row = await this.webhooks.create(project.uid, {
      uid: generateId(),
      permissions: ['read("any")', 'update("any")', 'delete("any")'],
      name: dto.name,
      events: dto.events,
      url: dto.url,
      security: dto.security,
      httpUser: dto.httpUser,
      httpPass: dto.httpPass,
      signatureKey: signatureKey(),
    });
    return toWebhookModel(row);
  }

  async get(ctx: RequestContext, projectId: string, webhookId: string): Promise<Webhook> {
    const project = await this.access.project(ctx, projectId);
    const row = await this.webhooks.findByUid(project.uid, webhookId);
    if (!row) throw new AppException(ErrorType.WebhookNotFound);
    return toWebhookModel(row);
  }

  async update(ctx: RequestContext, projectId: string, webhookId: string, dto: WebhookDto): Promise<Webhook> {
    const project = await this.access.project(ctx, projectId);
    const { name, events, url, security, httpUser, httpPass } = dto;
    return this.save(project.uid, webhookId, { name, events, url, security, httpUser, httpPass });
  }

  async updateSignature(ctx: RequestContext, projectId: string, webhookId: string): Promise<Webhook> {
    const project = await this.access.project(ctx, projectId);
    return this.save(project.uid, webhookId, { signatureKey: signatureKey() });
  }

  async delete(ctx: RequestContext, projectId: string, webhookId: string): Promise<void> {
    const project = await this.access.project(ctx, projectId);
    if (!(await this.webhooks.delete(project.uid, webhookId))) throw new AppException(ErrorType.WebhookNotFound);
  }

  private async save(projectId: string, webhookId: string, data: Parameters<WebhookRepository['update']>[2]): Promise<Webhook> {
    const row = await this.webhooks.update(projectId, webhookId, data);
    if (!row) throw new AppException(ErrorType.WebhookNotFound);
    return toWebhookModel(row);
  }
}
