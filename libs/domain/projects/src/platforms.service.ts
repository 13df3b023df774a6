import { Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException, generateId, RequestContext } from '@appconda/core';
import { MAX_LIST_LIMIT, PlatformRepository } from '@appconda/database';
import { ProjectContextService } from '@appconda/identity';

import { ProjectAccess } from './project-access';
import { CreatePlatformDto, UpdatePlatformDto } from './projects.dto';
import { Platform, toPlatformModel } from './projects.models';

/** Project platforms (web hostnames and app identifiers the origin check accepts). */
@Injectable()
export class PlatformsService {
  constructor(
    private readonly access: ProjectAccess,
    private readonly contexts: ProjectContextService,
    private readonly platforms: PlatformRepository,
  ) {}

  async list(ctx: RequestContext, projectId: string): Promise<{ total: number; platforms: Platform[] }> {
    const project = await this.access.project(ctx, projectId);
    const rows = await this.platforms.list(project.uid, { limit: MAX_LIST_LIMIT });
    return { total: rows.length, platforms: rows.map(toPlatformModel) };
  }

  async create(ctx: RequestContext, projectId: string, dto: CreatePlatformDto): Promise<Platform> {
    const project = await this.access.project(ctx, projectId);
    const row = await this.platforms.create(project.uid, {
      uid: generateId(),
      permissions: ['read("any")', 'update("any")', 'delete("any")'],
      type: dto.type,
      name: dto.name,
      key: dto.key,
      store: dto.store,
      hostname: dto.hostname,
    });
    this.contexts.invalidate(project.uid);
    return toPlatformModel(row);
  }

  async get(ctx: RequestContext, projectId: string, platformId: string): Promise<Platform> {
    const project = await this.access.project(ctx, projectId);
    const row = await this.platforms.findByUid(project.uid, platformId);
    if (!row) throw new AppException(ErrorType.PlatformNotFound);
    return toPlatformModel(row);
  }

  async update(ctx: RequestContext, projectId: string, platformId: string, dto: UpdatePlatformDto): Promise<Platform> {
    const project = await this.access.project(ctx, projectId);
    const row = await this.platforms.update(project.uid, platformId, { name: dto.name, key: dto.key, store: dto.store, hostname: dto.hostname });
    if (!row) throw new AppException(ErrorType.PlatformNotFound);
    this.contexts.invalidate(project.uid);
    return toPlatformModel(row);
  }

  async delete(ctx: RequestContext, projectId: string, platformId: string): Promise<void> {
    const project = await this.access.project(ctx, projectId);
    if (!(await this.platforms.delete(project.uid, platformId))) throw new AppException(ErrorType.PlatformNotFound);
    this.contexts.invalidate(project.uid);
  }
}
