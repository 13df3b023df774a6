import { Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException, RequestContext } from '@appconda/core';
import { MAX_LIST_LIMIT, MembershipRepository, ProjectEntity, ProjectRepository, TeamEntity, TeamRepository, UserEntity } from '@appconda/database';
import { CONSOLE_PROJECT_ID, identityOf } from '@appconda/identity';

/** Console team roles that may change a project (1.3 grants update/delete to `team:<id>/owner` and `/developer`). */
const WRITER_ROLES = new Set(['owner', 'developer']);

/**
 * Who may see and change which project. Appwrite 1.3 does this with document permissions: a project
 * is readable by `team:<teamId>` and writable by the team's owners and developers, so a console user
 * outside the team gets 404 project_not_found, as if the project did not exist.
 */
@Injectable()
export class ProjectAccess {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly projects: ProjectRepository,
    private readonly teams: TeamRepository,
  ) {}

  /** The console user making the request. The projects API only exists on the console project. */
  consoleUser(ctx: RequestContext): UserEntity {
    if (ctx.projectId !== CONSOLE_PROJECT_ID) throw new AppException(ErrorType.GeneralAccessForbidden);
    const user = identityOf(ctx).user;
    if (!user || user.project !== CONSOLE_PROJECT_ID) throw new AppException(ErrorType.GeneralUnauthorizedScope);
    return user;
  }

  /** The console teams the user is a confirmed member of, with the roles held in each. */
  async teamRoles(user: UserEntity): Promise<Map<string, string[]>> {
    const memberships = await this.memberships.listByUser(CONSOLE_PROJECT_ID, user.internalId, { limit: MAX_LIST_LIMIT });
    return new Map(memberships.filter((m) => m.confirm).map((m) => [m.teamId, m.roles ?? []]));
  }

  /** A console team the user belongs to; any other is 404 team_not_found. */
  async team(ctx: RequestContext, teamId: string): Promise<TeamEntity> {
    const user = this.consoleUser(ctx);
    const team = await this.teams.findByUid(CONSOLE_PROJECT_ID, teamId);
    if (!team || !(await this.roles(user, teamId))) throw new AppException(ErrorType.TeamNotFound);
    return team;
  }

  /**
   * The project if the user's team owns it; `write` also needs the owner or developer role
   * (401 user_unauthorized, like 1.3's failed update permission).
   */
  async project(ctx: RequestContext, projectId: string, write = false): Promise<ProjectEntity> {
    const user = this.consoleUser(ctx);
    const project = projectId.length <= 36 ? await this.projects.findByUid(CONSOLE_PROJECT_ID, projectId) : null;
    const roles = project?.teamId ? await this.roles(user, project.teamId) : undefined;
    if (!project || !roles) throw new AppException(ErrorType.ProjectNotFound);
    if (write && !roles.some((role) => WRITER_ROLES.has(role))) throw new AppException(ErrorType.UserUnauthorized);
    return project;
  }

  private async roles(user: UserEntity, teamId: string): Promise<string[] | undefined> {
    const membership = await this.memberships.findOne(CONSOLE_PROJECT_ID, { teamId, userInternalId: user.internalId, confirm: true });
    return membership ? (membership.roles ?? []) : undefined;
  }
}
