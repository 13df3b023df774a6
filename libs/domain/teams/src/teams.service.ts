import { Injectable } from '@nestjs/common';
import { AppException, ErrorType, generateId, RequestContext, resolveId, setEventParam, setEventPayload } from '@appconda/core';
import { AuditRepository, CompiledListQuery, Database, MembershipRepository, TeamEntity, TeamRepository, withCondition } from '@appconda/database';
import { identityOf } from '@appconda/identity';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';
import { isDuplicateKey, LogModel, Preferences, toLogModel, toPreferences } from '@appconda/users';

import { allowed, assertAllowed, assertUnchangedSince, creatorMembershipPermissions, isPrivileged, readableTeamIds, teamPermissions } from './teams.access';
import { toTeamModel, TeamModel } from './teams.dto';

export interface TeamList {
  total: number;
  teams: TeamModel[];
}

export interface LogList {
  total: number;
  logs: LogModel[];
}

/** Appwrite's `search` attribute of a team: its ID and name. */
export function teamSearchText(uid: string, name: string): string {
  return [uid, name].filter(Boolean).join(' ');
}

/** The values a cursor query compares against (`cursorAfter(<teamId>)`). */
export function teamCursorRow(team: TeamEntity): Record<string, unknown> {
  return { $id: team.uid, $internalId: team.internalId, $createdAt: team.createdAt, $updatedAt: team.updatedAt, name: team.name, total: team.total };
}

/** Restricts a compiled list to some `_uid`s (the teams a user belongs to), ANDed before the caller's conditions. */
export function restrictToUids(query: CompiledListQuery, uids: readonly string[]): CompiledListQuery {
  const only = `\`_uid\` IN (${uids.map(() => '?').join(', ')})`;
  return withCondition(query, only, uids);
}

/**
 * Teams of a project as Appwrite 1.3 serves them: members read a team, its owners change it, API keys
 * and console admins do anything. A team the caller cannot read does not exist for them (404).
 */
@Injectable()
export class TeamsService {
  constructor(
    private readonly audits: AuditRepository,
    private readonly db: Database,
    private readonly memberships: MembershipRepository,
    private readonly teams: TeamRepository,
  ) {}

  /**
   * Creates a team. A user creating it becomes a confirmed member with `roles` (default owner) and the
   * team starts with one member; an API key or console admin creates it empty, as 1.3 does.
   */
  async create(ctx: RequestContext, teamId: string, name: string, roles: string[] = ['owner']): Promise<TeamModel> {
    const uid = resolveId(teamId);
    setEventParam(ctx, 'teamId', uid);
    const user = isPrivileged(ctx) ? undefined : identityOf(ctx).user;
    const now = new Date();
    try {
      const team = await this.db.transaction(async (manager) => {
        const created = await this.teams.with(manager).create(ctx.projectId, {
          uid,
          permissions: teamPermissions(uid),
          name,
          total: user ? 1 : 0,
          prefs: {},
          search: teamSearchText(uid, name),
        });
        if (user) {
          const membershipId = generateId();
          await this.memberships.with(manager).create(ctx.projectId, {
            uid: membershipId,
            permissions: creatorMembershipPermissions(uid, user.uid),
            userInternalId: user.internalId,
            userId: user.uid,
            teamInternalId: created.internalId,
            teamId: uid,
            roles,
            invited: now,
            joined: now,
            confirm: true,
            secret: '',
            search: [membershipId, user.uid].join(' '),
          });
        }
        return created;
      });
      return toTeamModel(team);
    } catch (error) {
      // 1.3 lets the database's duplicate error through: 409 document_already_exists.
      if (isDuplicateKey(error)) throw new AppException(ErrorType.DocumentAlreadyExists);
      throw error;
    }
  }

  /** The teams the caller belongs to (every team for keys and admins), with 1.3 queries and search. */
  async list(ctx: RequestContext, queries: unknown, search?: string): Promise<TeamList> {
    const schema = SystemListSchemas.teams;
    const groups = withSearch(validateQueries(parseQueries(queries ?? []), schema), search);
    const readable = readableTeamIds(ctx);
    if (readable && readable.length === 0) return { total: 0, teams: [] };
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const row = await this.teams.findByUid(ctx.projectId, groups.cursor.id);
      if (!row || !allowed(ctx, 'read', row.permissions)) throw cursorNotFound(groups.cursor.id);
      cursorRow = teamCursorRow(row);
    }
    const compiled = compileQueries(groups, { cursorRow, schema });
    const page = await this.teams.listByQuery(ctx.projectId, readable ? restrictToUids(compiled, readable) : compiled);
    return { total: page.total, teams: page.rows.map(toTeamModel) };
  }

  /** The team if the caller may read it, else 404 team_not_found (1.3 hides teams from non-members). */
  async findReadable(ctx: RequestContext, teamId: string): Promise<TeamEntity> {
    const team = await this.teams.findByUid(ctx.projectId, teamId);
    if (!team || !allowed(ctx, 'read', team.permissions)) throw new AppException(ErrorType.TeamNotFound);
    return team;
  }

  async get(ctx: RequestContext, teamId: string): Promise<TeamModel> {
    return toTeamModel(await this.findReadable(ctx, teamId));
  }

  /** Renames the team: members who are not owners get 401 user_unauthorized. */
  async updateName(ctx: RequestContext, teamId: string, name: string, timestamp?: string): Promise<TeamModel> {
    const team = await this.findReadable(ctx, teamId);
    assertAllowed(ctx, 'update', team.permissions);
    assertUnchangedSince(team.updatedAt, timestamp);
    const updated = await this.teams.update(ctx.projectId, team.uid, { name, search: teamSearchText(team.uid, name) });
    if (!updated) throw new AppException(ErrorType.TeamNotFound);
    return toTeamModel(updated);
  }

  /**
   * Deletes the team and all its memberships in one transaction (1.3 leaves the memberships to its
   * deletes worker; doing it here means no stale `team:<id>` roles survive the response).
   */
  async delete(ctx: RequestContext, teamId: string, timestamp?: string): Promise<void> {
    const team = await this.findReadable(ctx, teamId);
    assertAllowed(ctx, 'delete', team.permissions);
    assertUnchangedSince(team.updatedAt, timestamp);
    await this.db.transaction(async (manager) => {
      await this.memberships.with(manager).deleteByTeam(ctx.projectId, team.internalId);
      await this.teams.with(manager).delete(ctx.projectId, team.uid);
    });
    // 1.3's delete events carry the deleted team.
    setEventPayload(ctx, toTeamModel(team));
  }

  async getPrefs(ctx: RequestContext, teamId: string): Promise<Preferences> {
    return toPreferences((await this.findReadable(ctx, teamId)).prefs);
  }

  /** Replaces the team's preferences (no merge); owners only, like any team update. */
  async updatePrefs(ctx: RequestContext, teamId: string, prefs: Record<string, unknown>, timestamp?: string): Promise<Preferences> {
    const team = await this.findReadable(ctx, teamId);
    assertAllowed(ctx, 'update', team.permissions);
    assertUnchangedSince(team.updatedAt, timestamp);
    const updated = await this.teams.update(ctx.projectId, team.uid, { prefs: { ...prefs } });
    return toPreferences(updated?.prefs ?? prefs);
  }

  /** The team's audit log (`team/<id>` entries), newest first; queries take only limit and offset. */
  async listLogs(ctx: RequestContext, teamId: string, queries: unknown): Promise<LogList> {
    const team = await this.findReadable(ctx, teamId);
    const groups = validateQueries(parseQueries(queries ?? []), SystemListSchemas.logs);
    const resource = `team/${team.uid}`;
    const [entries, total] = await Promise.all([
      this.audits.listByResource(ctx.projectId, resource, { limit: groups.limit, offset: groups.offset }),
      this.audits.countByResource(ctx.projectId, resource),
    ]);
    return { total, logs: entries.map(toLogModel) };
  }
}
