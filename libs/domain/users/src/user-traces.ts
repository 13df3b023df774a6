import { EntityManager } from 'typeorm';
import { MAX_LIST_LIMIT, MembershipRepository, SessionRepository, TeamRepository, TokenRepository } from '@appconda/database';

export interface UserTraceRepositories {
  memberships: MembershipRepository;
  sessions: SessionRepository;
  teams: TeamRepository;
  tokens: TokenRepository;
}

export interface RemovedUserTraces {
  memberships: number;
  sessions: number;
  tokens: number;
}

/**
 * Removes what a user leaves behind — sessions, tokens and memberships, with one member less on each
 * team the user had joined — inside the caller's transaction. Used by the user delete and by the
 * deletes worker's `users` sweep, so both cascade the same way.
 */
export async function removeUserTraces(repositories: UserTraceRepositories, manager: EntityManager, projectId: string, userInternalId: string): Promise<RemovedUserTraces> {
  const memberships = repositories.memberships.with(manager);
  const joined = await memberships.listByUser(projectId, userInternalId, { limit: MAX_LIST_LIMIT });
  const removed = await memberships.deleteWhere(projectId, { userInternalId });
  for (const membership of joined) {
    if (membership.confirm) await repositories.teams.with(manager).adjustTotal(projectId, membership.teamId, -1);
  }
  return {
    memberships: removed,
    sessions: await repositories.sessions.with(manager).deleteByUser(projectId, userInternalId),
    tokens: await repositories.tokens.with(manager).deleteByUser(projectId, userInternalId),
  };
}
