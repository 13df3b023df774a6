import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { ErrorType } from '@appconda/contracts';
import { AppException, PromiseCache } from '@appconda/core';
import { KeyEntity, KeyRepository, MAX_LIST_LIMIT, PlatformRepository, ProjectRepository } from '@appconda/database';

import { authSettings, CONSOLE_PROJECT_ID, consoleProject, ProjectContext } from './project-settings';

/** How long a project's settings are reused before they are read again (other processes' edits show up within it). */
const TTL_MS = 2000;

/**
 * Loads the project a request names, with its auth settings and platforms, through a short-lived
 * in-process cache: every request needs it, and it changes rarely.
 */
@Injectable()
export class ProjectContextService {
  private readonly cache = new PromiseCache<ProjectContext | null>(TTL_MS);
  /** API keys by project and secret hash: every key-authenticated request needs one. */
  private readonly keyCache = new PromiseCache<KeyEntity | null>(TTL_MS);
  private readonly console: ProjectContext;

  constructor(
    config: AppConfig,
    private readonly keys: KeyRepository,
    private readonly platforms: PlatformRepository,
    private readonly projects: ProjectRepository,
  ) {
    this.console = consoleProject(config.get('console').whitelistRoot, config.get('domain'));
  }

  /** The project, or 404 project_not_found. */
  async get(projectId: string): Promise<ProjectContext> {
    const project = await this.find(projectId);
    if (!project) throw new AppException(ErrorType.ProjectNotFound);
    return project;
  }

  find(projectId: string): Promise<ProjectContext | null> {
    if (projectId === CONSOLE_PROJECT_ID) return Promise.resolve(this.console);
    return this.cache.get(projectId, () => this.load(projectId));
  }

  /**
   * The project's API key with this secret hash (sha256), reused for the same short time as the
   * project itself; a deleted or changed key stops working in this process at once (invalidate),
   * in other processes within that time.
   */
  findKey(projectId: string, secretHash: string): Promise<KeyEntity | null> {
    return this.keyCache.get(`${projectId}:${secretHash}`, () => this.keys.findBySecret(projectId, secretHash));
  }

  /** Forgets a project (and its cached keys) after it changed, so this process sees the change at once. */
  invalidate(projectId: string): void {
    this.cache.delete(projectId);
    this.keyCache.deletePrefix(`${projectId}:`);
  }

  private async load(projectId: string): Promise<ProjectContext | null> {
    if (projectId.length > 36) return null;
    const entity = await this.projects.findByUid(CONSOLE_PROJECT_ID, projectId);
    if (!entity) return null;
    const platforms = await this.platforms.list(projectId, { limit: MAX_LIST_LIMIT });
    return {
      id: entity.uid,
      internalId: entity.internalId,
      name: entity.name,
      teamId: entity.teamId,
      auths: authSettings(entity.auths),
      services: entity.services ?? {},
      authProviders: entity.authProviders ?? {},
      platforms: platforms.map(({ type, hostname, key }) => ({ type, hostname, key })),
      entity,
    };
  }
}
