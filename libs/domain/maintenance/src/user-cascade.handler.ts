import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { Database, MembershipRepository, SessionRepository, TeamRepository, TokenRepository, UserRepository } from '@appconda/database';
import { RemovedUserTraces, removeUserTraces } from '@appconda/users';
import { HandlesJob, JobHandler } from '@appconda/queue';

const logger = serviceLogger('worker-deletes');

export interface UserCascadeResult extends RemovedUserTraces {
  skipped?: 'user_exists';
}

/**
 * `users`: what a deleted user leaves behind — sessions, tokens and memberships, with one member less
 * on each team the user had joined (Appwrite 1.3 does this cascade in its deletes worker). The users
 * lib already deletes all of it synchronously in the delete transaction and then enqueues this job, the
 * worker-side sweep of anything created meanwhile. Keyed by the user's
 * `$internalId` (never reused), it refuses to touch a user that still exists. Idempotent: the
 * memberships and the team counters change in one transaction, so a retry finds nothing to count twice.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Users)
export class UserCascadeHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    private readonly db: Database,
    private readonly memberships: MembershipRepository,
    private readonly sessions: SessionRepository,
    private readonly teams: TeamRepository,
    private readonly tokens: TokenRepository,
    private readonly users: UserRepository,
  ) {}

  async handle(job: DeleteJob): Promise<UserCascadeResult> {
    const userInternalId = job.document?.$internalId;
    if (!job.projectId || !userInternalId) throw new Error('a users delete job needs projectId and the user $internalId');
    const projectId = job.projectId;
    if (await this.users.findByInternalId(projectId, userInternalId)) {
      logger.warn({ event: 'user_cascade_skipped', projectId, userInternalId }, 'the user still exists; nothing deleted');
      return { memberships: 0, sessions: 0, skipped: 'user_exists', tokens: 0 };
    }
    const result = await this.db.transaction((manager) => removeUserTraces({ memberships: this.memberships, sessions: this.sessions, teams: this.teams, tokens: this.tokens }, manager, projectId, userInternalId));
    logger.info({ event: 'user_cascade', projectId, userInternalId, ...result }, 'deleted what the user left behind');
    return result;
  }
}
