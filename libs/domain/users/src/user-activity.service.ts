import { Injectable, Optional } from '@nestjs/common';
import { DeleteJobType, QueueName } from '@appconda/contracts';
import { AppException, ErrorType, RequestContext, setEventParam } from '@appconda/core';
import {
  AuditEntity,
  Database,
  MAX_LIST_LIMIT,
  MembershipEntity,
  MembershipRepository,
  SessionEntity,
  SessionRepository,
  TeamEntity,
  TeamRepository,
  TokenRepository,
  UserEntity,
  UserRepository,
  AuditRepository,
} from '@appconda/database';
import { In } from 'typeorm';
import { parseQueries, SystemListSchemas, validateQueries } from '@appconda/query';
import { InjectJobQueue, JobQueue } from '@appconda/queue';

import { Page, UsersService } from './users.service';
import { removeUserTraces } from './user-traces';

/** A membership with the user and team it joins, for the membership model. */
export interface MembershipView {
  membership: MembershipEntity;
  user: UserEntity | null;
  team: TeamEntity | null;
}

/**
 * What hangs off a user: sessions, memberships, audit logs, and the cascade when the user goes.
 */
@Injectable()
export class UserActivityService {
  constructor(
    private readonly audits: AuditRepository,
    private readonly db: Database,
    private readonly memberships: MembershipRepository,
    private readonly sessions: SessionRepository,
    private readonly teams: TeamRepository,
    private readonly tokens: TokenRepository,
    private readonly users: UserRepository,
    private readonly usersService: UsersService,
    @Optional() @InjectJobQueue(QueueName.Deletes) private readonly deletes?: JobQueue<QueueName.Deletes>,
  ) {}

  /** All of the user's sessions, oldest first. */
  async listSessions(projectId: string, userId: string): Promise<SessionEntity[]> {
    const user = await this.usersService.get(projectId, userId);
    return this.sessions.listByUser(projectId, user.internalId);
  }

  /** Ends every session of the user at once. */
  async deleteSessions(projectId: string, userId: string, ctx?: RequestContext): Promise<void> {
    const user = await this.usersService.get(projectId, userId);
    const sessions = await this.sessions.listByUser(projectId, user.internalId);
    await this.sessions.deleteByUser(projectId, user.internalId);
    const last = sessions[sessions.length - 1];
    if (ctx && last) setEventParam(ctx, 'sessionId', last.uid);
  }

  /** Ends one session; 404 user_session_not_found when the user has no such session. */
  async deleteSession(projectId: string, userId: string, sessionId: string): Promise<void> {
    const user = await this.usersService.get(projectId, userId);
    const session = await this.sessions.findByUid(projectId, sessionId);
    if (!session || session.userInternalId !== user.internalId) throw new AppException(ErrorType.UserSessionNotFound);
    await this.sessions.delete(projectId, sessionId);
  }

  /** The user's memberships with their teams (1.3 lists them all, without queries). */
  async listMemberships(projectId: string, userId: string): Promise<MembershipView[]> {
    const user = await this.usersService.get(projectId, userId);
    const memberships = await this.memberships.listByUser(projectId, user.internalId, { limit: MAX_LIST_LIMIT });
    const teamIds = [...new Set(memberships.map((m) => m.teamInternalId))];
    const teams = teamIds.length ? await this.teams.list(projectId, { where: { internalId: In(teamIds) }, limit: MAX_LIST_LIMIT }) : [];
    const byId = new Map(teams.map((team) => [String(team.internalId), team]));
    return memberships.map((membership) => ({ membership, user, team: byId.get(String(membership.teamInternalId)) ?? null }));
  }

  /** The user's audit entries, newest first; `queries[]` takes limit and offset only (1.3 logs lists). */
  async listLogs(projectId: string, userId: string, queries: unknown): Promise<Page<AuditEntity>> {
    const user = await this.usersService.get(projectId, userId);
    const groups = validateQueries(parseQueries(queries ?? []), SystemListSchemas.logs);
    const [rows, total] = await Promise.all([
      this.audits.listByUser(projectId, user.uid, { limit: groups.limit, offset: groups.offset }),
      this.audits.countByUser(projectId, user.uid),
    ]);
    return { rows, total };
  }

  /**
   * Deletes the user with everything that belongs to it, in one transaction: sessions and tokens (so
   * no credential outlives the user), memberships, and one member less on each team the user had
   * joined (Appwrite 1.3 does the cascade in its deletes worker; here it is synchronous).
   */
  async deleteUser(projectId: string, userId: string): Promise<UserEntity> {
    const user = await this.usersService.get(projectId, userId);
    await this.db.transaction(async (manager) => {
      await removeUserTraces({ memberships: this.memberships, sessions: this.sessions, teams: this.teams, tokens: this.tokens }, manager, projectId, user.internalId);
      await this.users.with(manager).delete(projectId, user.uid);
    });
    // The sessions are gone at once (the transaction above); worker-deletes then sweeps whatever the
    // user left behind concurrently (Appwrite 1.3 cascades user deletes in its deletes worker).
    if (this.deletes) {
      await this.deletes.add({ type: DeleteJobType.Users, projectId, document: { $id: user.uid, $internalId: user.internalId, collection: 'users' } });
    }
    return user;
  }
}
