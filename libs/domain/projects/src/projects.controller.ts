import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { Ctx, RequestContext, Route } from '@appconda/core';

import {
  AuthDurationDto,
  AuthLimitDto,
  AuthMethodParamsDto,
  AuthPasswordDictionaryDto,
  AuthPasswordHistoryDto,
  AuthSessionsLimitDto,
  AuthStatusDto,
  CreateProjectDto,
  DeleteProjectDto,
  ListProjectsDto,
  QueriesParam,
  ServiceStatusDto,
  UpdateOAuth2Dto,
  UpdateProjectDto,
  UsageDto,
} from './projects.dto';
import { CREATED, DELETED, READ, WRITE } from './projects.routes';
import { ProjectsService } from './projects.service';
import { UsageService } from './usage.service';

/** /v1/projects: project CRUD, auth/OAuth2/service settings and usage. */
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly service: ProjectsService,
    private readonly usage: UsageService,
  ) {}

  @Get()
  @Route(READ)
  list(@Ctx() ctx: RequestContext, @QueriesParam() queries: string[] | undefined, @Query() dto: ListProjectsDto) {
    return this.service.list(ctx, queries, dto.search);
  }

  @Post()
  @Route(CREATED)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateProjectDto) {
    return this.service.create(ctx, dto);
  }

  @Get(':projectId')
  @Route(READ)
  get(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    return this.service.get(ctx, projectId);
  }

  @Patch(':projectId')
  @Route(WRITE)
  update(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: UpdateProjectDto) {
    return this.service.update(ctx, projectId, dto);
  }

  @Delete(':projectId')
  @Route(DELETED)
  delete(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: DeleteProjectDto) {
    return this.service.delete(ctx, projectId, dto.password);
  }

  @Patch(':projectId/auth/duration')
  @Route(WRITE)
  updateAuthDuration(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: AuthDurationDto) {
    return this.service.updateAuths(ctx, projectId, { duration: dto.duration });
  }

  @Patch(':projectId/auth/limit')
  @Route(WRITE)
  updateAuthLimit(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: AuthLimitDto) {
    return this.service.updateAuths(ctx, projectId, { limit: dto.limit });
  }

  @Patch(':projectId/auth/max-sessions')
  @Route(WRITE)
  updateAuthSessionsLimit(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: AuthSessionsLimitDto) {
    return this.service.updateAuths(ctx, projectId, { maxSessions: dto.limit });
  }

  @Patch(':projectId/auth/password-dictionary')
  @Route(WRITE)
  updateAuthPasswordDictionary(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: AuthPasswordDictionaryDto) {
    return this.service.updateAuths(ctx, projectId, { passwordDictionary: dto.enabled });
  }

  @Patch(':projectId/auth/password-history')
  @Route(WRITE)
  updateAuthPasswordHistory(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: AuthPasswordHistoryDto) {
    return this.service.updateAuths(ctx, projectId, { passwordHistory: dto.limit });
  }

  @Patch(':projectId/auth/:method')
  @Route(WRITE)
  updateAuthStatus(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Param() { method }: AuthMethodParamsDto, @Body() dto: AuthStatusDto) {
    return this.service.updateAuthMethod(ctx, projectId, method, dto.status);
  }

  @Patch(':projectId/oauth2')
  @Route(WRITE)
  updateOAuth2(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: UpdateOAuth2Dto) {
    return this.service.updateOAuth2(ctx, projectId, dto);
  }

  @Patch(':projectId/service')
  @Route(WRITE)
  updateServiceStatus(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Body() dto: ServiceStatusDto) {
    return this.service.updateServiceStatus(ctx, projectId, dto.service, dto.status);
  }

  @Get(':projectId/usage')
  @Route(READ)
  getUsage(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string, @Query() dto: UsageDto) {
    return this.usage.projectUsage(ctx, projectId, dto.range);
  }
}
