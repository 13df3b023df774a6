import { Body, Controller, Delete, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { Ctx, RequestContext, Route } from '@appconda/core';

import { DomainsService } from './domains.service';
import { KeysService } from './keys.service';
import { PlatformsService } from './platforms.service';
import { CreateDomainDto, CreatePlatformDto, KeyDto, UpdatePlatformDto, WebhookDto } from './projects.dto';
import { CREATED, DELETED, READ, WRITE } from './projects.routes';
import { WebhooksService } from './webhooks.service';

/** /v1/projects/{projectId}/{keys,platforms,webhooks,domains}. */
@Controller('projects/:projectId')
export class ProjectResourcesController {
  constructor(
    private readonly domains: DomainsService,
    private readonly keys: KeysService,
    private readonly platforms: PlatformsService,
    private readonly webhooks: WebhooksService,
  ) {}

  @Get('keys')
  @Route(READ)
  listKeys(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    return this.keys.list(ctx, projectId);
  }

  @Post('keys')
  @Route(CREATED)
  createKey(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: KeyDto) {
    return this.keys.create(ctx, projectId, dto);
  }

  @Get('keys/:keyId')
  @Route(READ)
  getKey(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('keyId') keyId: string) {
    return this.keys.get(ctx, projectId, keyId);
  }

  @Put('keys/:keyId')
  @Route(WRITE)
  updateKey(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('keyId') keyId: string, @Body() dto: KeyDto) {
    return this.keys.update(ctx, projectId, keyId, dto);
  }

  @Delete('keys/:keyId')
  @Route(DELETED)
  deleteKey(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('keyId') keyId: string) {
    return this.keys.delete(ctx, projectId, keyId);
  }

  @Get('platforms')
  @Route(READ)
  listPlatforms(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    return this.platforms.list(ctx, projectId);
  }

  @Post('platforms')
  @Route(CREATED)
  createPlatform(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: CreatePlatformDto) {
    return this.platforms.create(ctx, projectId, dto);
  }

  @Get('platforms/:platformId')
  @Route(READ)
  getPlatform(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('platformId') platformId: string) {
    return this.platforms.get(ctx, projectId, platformId);
  }

  @Put('platforms/:platformId')
  @Route(WRITE)
  updatePlatform(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('platformId') platformId: string, @Body() dto: UpdatePlatformDto) {
    return this.platforms.update(ctx, projectId, platformId, dto);
  }

  @Delete('platforms/:platformId')
  @Route(DELETED)
  deletePlatform(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('platformId') platformId: string) {
    return this.platforms.delete(ctx, projectId, platformId);
  }

  @Get('webhooks')
  @Route(READ)
  listWebhooks(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    return this.webhooks.list(ctx, projectId);
  }

  @Post('webhooks')
  @Route(CREATED)
  createWebhook(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: WebhookDto) {
    return this.webhooks.create(ctx, projectId, dto);
  }

  @Get('webhooks/:webhookId')
  @Route(READ)
  getWebhook(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('webhookId') webhookId: string) {
    return this.webhooks.get(ctx, projectId, webhookId);
  }

  @Put('webhooks/:webhookId')
  @Route(WRITE)
  updateWebhook(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('webhookId') webhookId: string, @Body() dto: WebhookDto) {
    return this.webhooks.update(ctx, projectId, webhookId, dto);
  }

  @Patch('webhooks/:webhookId/signature')
  @Route(WRITE)
  updateWebhookSignature(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('webhookId') webhookId: string) {
    return this.webhooks.updateSignature(ctx, projectId, webhookId);
  }

  @Delete('webhooks/:webhookId')
  @Route(DELETED)
  deleteWebhook(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('webhookId') webhookId: string) {
    return this.webhooks.delete(ctx, projectId, webhookId);
  }

  @Get('domains')
  @Route(READ)
  listDomains(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    return this.domains.list(ctx, projectId);
  }

  @Post('domains')
  @Route(CREATED)
  createDomain(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: CreateDomainDto) {
    return this.domains.create(ctx, projectId, dto.domain);
  }

  @Get('domains/:domainId')
  @Route(READ)
  getDomain(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('domainId') domainId: string) {
    return this.domains.get(ctx, projectId, domainId);
  }

  @Patch('domains/:domainId/verification')
  @Route(WRITE)
  updateDomainVerification(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('domainId') domainId: string) {
    return this.domains.verify(ctx, projectId, domainId);
  }

  @Delete('domains/:domainId')
  @Route(DELETED)
  deleteDomain(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param('domainId') domainId: string) {
    return this.domains.delete(ctx, projectId, domainId);
  }
}
