import { Injectable } from '@nestjs/common';
import { APP_VERSION, DeleteJobType, ErrorType, QueueName } from '@appconda/contracts';
import { AppException, RequestContext, resolveId } from '@appconda/core';
import { ProjectEntity, ProjectRepository, withCondition } from '@appconda/database';
import { DEFAULT_AUTH_SETTINGS, CONSOLE_PROJECT_ID, ProjectContextService } from '@appconda/identity';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';
import { HashAlgorithm, verifyPassword } from '@appconda/auth';

import { ProjectAccess } from './project-access';
import { ProjectChildrenLoader } from './project-children';
import { AUTH_METHODS } from './projects.catalog';
import { CreateProjectDto, UpdateOAuth2Dto, UpdateProjectDto } from './projects.dto';
import { Project, StoredProvider, toProjectModel } from './projects.models';

/** MariaDB's duplicate-key error (a concurrent create with the same id). */
export function isDuplicateKey(error: unknown): boolean {
  const driver = (error as { driverError?: { errno?: number; code?: string } })?.driverError;
  return driver?.errno === 1062 || driver?.code === 'ER_DUP_ENTRY';
}

/** Project CRUD and the project's auth/OAuth2/service settings (the console's Projects service). */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly access: ProjectAccess,
    private readonly children: ProjectChildrenLoader,
    private readonly contexts: ProjectContextService,
    @InjectJobQueue(QueueName.Deletes) private readonly deletes: JobQueue<QueueName.Deletes>,
    private readonly projects: ProjectRepository,
  ) {}

  async list(ctx: RequestContext, queries: string[] | undefined, search?: string): Promise<{ total: number; projects: Project[] }> {
    const user = this.access.consoleUser(ctx);
    const groups = withSearch(validateQueries(parseQueries(queries ?? []), SystemListSchemas.projects), search);
    const teamIds = [...(await this.access.teamRoles(user)).keys()];
    if (teamIds.length === 0) return { total: 0, projects: [] };
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const cursor = await this.projects.findByUid(CONSOLE_PROJECT_ID, groups.cursor.id);
      if (!cursor || !cursor.teamId || !teamIds.includes(cursor.teamId)) throw cursorNotFound(groups.cursor.id);
      cursorRow = { $id: cursor.uid, $internalId: cursor.internalId, $createdAt: cursor.createdAt, $updatedAt: cursor.updatedAt, name: cursor.name, teamId: cursor.teamId };
    }
    const compiled = compileQueries(groups, { cursorRow, schema: SystemListSchemas.projects });
    // Only the caller's teams' projects: 1.3 filters the list by the `team:<id>` read permission.
    const visible = `\`teamId\` IN (${teamIds.map(() => '?').join(', ')})`;
    const { rows, total } = await this.projects.listByQuery(CONSOLE_PROJECT_ID, withCondition(compiled, visible, teamIds));
    return { total, projects: await Promise.all(rows.map((row) => this.model(row))) };
  }

  async create(ctx: RequestContext, dto: CreateProjectDto): Promise<Project> {
    const team = await this.access.team(ctx, dto.teamId);
    const projectId = resolveId(dto.projectId);
    if (projectId === CONSOLE_PROJECT_ID) throw new AppException(ErrorType.ProjectReservedProject);
    if (await this.projects.findByUid(CONSOLE_PROJECT_ID, projectId)) throw new AppException(ErrorType.DocumentAlreadyExists);
    try {
      const row = await this.projects.create(CONSOLE_PROJECT_ID, {
        uid: projectId,
        permissions: ['read', 'update', 'delete'].flatMap((action) =>
          action === 'read' ? [`read("team:${team.uid}")`] : [`${action}("team:${team.uid}/owner")`, `${action}("team:${team.uid}/developer")`],
        ),
        teamInternalId: team.internalId,
        teamId: team.uid,
        name: dto.name,
        region: dto.region,
        description: dto.description,
        logo: dto.logo,
        url: dto.url,
        version: APP_VERSION,
        legalName: dto.legalName,
        legalCountry: dto.legalCountry,
        legalState: dto.legalState,
        legalCity: dto.legalCity,
        legalAddress: dto.legalAddress,
        legalTaxId: dto.legalTaxId,
        services: {},
        auths: { ...DEFAULT_AUTH_SETTINGS, methods: { ...DEFAULT_AUTH_SETTINGS.methods } },
        authProviders: {},
        search: `${projectId} ${dto.name}`,
      });
      return toProjectModel(row, { platforms: [], webhooks: [], keys: [], domains: [] });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppException(ErrorType.DocumentAlreadyExists);
      throw error;
    }
  }

  async get(ctx: RequestContext, projectId: string): Promise<Project> {
    return this.model(await this.access.project(ctx, projectId));
  }

  async update(ctx: RequestContext, projectId: string, dto: UpdateProjectDto): Promise<Project> {
    const project = await this.access.project(ctx, projectId, true);
    const { name, description, logo, url, legalName, legalCountry, legalState, legalCity, legalAddress, legalTaxId } = dto;
    // 1.3 writes every field: an omitted optional param resets it to ''.
    const data = { name, description, logo, url, legalName, legalCountry, legalState, legalCity, legalAddress, legalTaxId, search: `${project.uid} ${name}` };
    return this.save(project, data);
  }

  /**
   * Deletes the project after checking the console user's password (1.3 asks for it). The row goes at
   * once; everything the project owns is removed by worker-deletes (DeleteJobType.Projects).
   */
  async delete(ctx: RequestContext, projectId: string, password: string): Promise<void> {
    const user = this.access.consoleUser(ctx);
    const algorithm = (user.hash ?? HashAlgorithm.Argon2) as HashAlgorithm;
    if (!user.password || !(await verifyPassword(password, user.password, algorithm, user.hashOptions ?? undefined))) {
      throw new AppException(ErrorType.UserInvalidCredentials);
    }
    const project = await this.access.project(ctx, projectId, true);
    await this.projects.delete(CONSOLE_PROJECT_ID, project.uid);
    this.contexts.invalidate(project.uid);
    await this.deletes.add({ type: DeleteJobType.Projects, projectId: project.uid, document: { $id: project.uid, $internalId: project.internalId, collection: 'projects' } });
  }

  /** Changes part of `auths` (same storage shape the identity lib reads with `authSettings()`). */
  async updateAuths(ctx: RequestContext, projectId: string, change: Record<string, unknown>): Promise<Project> {
    const project = await this.access.project(ctx, projectId, true);
    return this.save(project, { auths: { ...(project.auths ?? {}), ...change } });
  }

  async updateAuthMethod(ctx: RequestContext, projectId: string, method: string, status: boolean): Promise<Project> {
    const project = await this.access.project(ctx, projectId, true);
    const methods = { ...((project.auths?.methods as Record<string, boolean> | undefined) ?? {}), [AUTH_METHODS[method]]: status };
    return this.save(project, { auths: { ...(project.auths ?? {}), methods } });
  }

  /** Sets what was sent of a provider's appId/secret/enabled; omitted ones keep their value (1.3). */
  async updateOAuth2(ctx: RequestContext, projectId: string, dto: UpdateOAuth2Dto): Promise<Project> {
    const project = await this.access.project(ctx, projectId, true);
    const providers = { ...((project.authProviders ?? {}) as Record<string, StoredProvider>) };
    const current = { ...(providers[dto.provider] ?? {}) };
    if (dto.appId !== undefined && dto.appId !== null) current.appId = dto.appId;
    if (dto.secret !== undefined && dto.secret !== null) current.secret = dto.secret;
    if (dto.enabled !== undefined && dto.enabled !== null) current.enabled = dto.enabled;
    providers[dto.provider] = current;
    return this.save(project, { authProviders: providers as Record<string, unknown> });
  }

  async updateServiceStatus(ctx: RequestContext, projectId: string, service: string, status: boolean): Promise<Project> {
    const project = await this.access.project(ctx, projectId, true);
    return this.save(project, { services: { ...(project.services ?? {}), [service]: status } });
  }

  private async save(project: ProjectEntity, data: Parameters<ProjectRepository['update']>[2]): Promise<Project> {
    const updated = await this.projects.update(CONSOLE_PROJECT_ID, project.uid, data);
    if (!updated) throw new AppException(ErrorType.ProjectNotFound);
    this.contexts.invalidate(project.uid);
    return this.model(updated);
  }

  private async model(row: ProjectEntity): Promise<Project> {
    return toProjectModel(row, await this.children.load(row.uid));
  }
}
