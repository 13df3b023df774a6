import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { MembershipRepository, TeamRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';

const logger = serviceLogger('worker-deletes');

/**
 * `teams`: the memberships of a deleted team (Appwrite 1.3's deletes worker). The teams lib removes
 * them in the delete transaction already; this is the worker-side safety net. Keyed by the team's
 * `$internalId`, it leaves a team that still exists alone. Idempotent.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Teams)
export class TeamCascadeHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly teams: TeamRepository,
  ) {}

  async handle(job: DeleteJob): Promise<{ memberships: number; skipped?: 'team_exists' }> {
    const teamInternalId = job.document?.$internalId;
    if (!job.projectId || !teamInternalId) throw new Error('a teams delete job needs projectId and the team $internalId');
    if (await this.teams.findByInternalId(job.projectId, teamInternalId)) {
      logger.warn({ event: 'team_cascade_skipped', projectId: job.projectId, teamInternalId }, 'the team still exists; nothing deleted');
      return { memberships: 0, skipped: 'team_exists' };
    }
    const memberships = await this.memberships.deleteByTeam(job.projectId, teamInternalId);
    logger.info({ event: 'team_cascade', projectId: job.projectId, teamInternalId, memberships }, `deleted ${memberships} memberships of a deleted team`);
    return { memberships };
  }
}
