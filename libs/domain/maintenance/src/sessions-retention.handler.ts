import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { ProjectRepository, SessionRepository, TokenRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';

import { cutoffOf, projectsOf } from './project-ids';

const logger = serviceLogger('worker-deletes');

/**
 * `sessions`: expired credentials of every project — sessions whose `expire` is before the cut-off
 * (default: when the job runs) and tokens (verification, recovery, invites, magic URL, phone) past
 * theirs. Sessions without an expiry are kept. Idempotent.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Sessions)
export class SessionsRetentionHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly sessions: SessionRepository,
    private readonly tokens: TokenRepository,
  ) {}

  async handle(job: DeleteJob): Promise<{ projects: number; sessions: number; tokens: number }> {
    const cutoff = job.datetime === undefined ? new Date() : cutoffOf(job);
    const result = { projects: 0, sessions: 0, tokens: 0 };
    for await (const projectId of projectsOf(job, this.projects)) {
      result.projects++;
      // A repository filter with a TypeORM operator: the scoped repository still adds the project.
      result.sessions += await this.sessions.deleteWhere(projectId, { expire: LessThan(cutoff) });
      result.tokens += await this.tokens.deleteWhere(projectId, { expire: LessThan(cutoff) });
    }
    logger.info({ event: 'sessions_retention', cutoff: cutoff.toISOString(), ...result }, `deleted ${result.sessions} expired sessions and ${result.tokens} tokens`);
    return result;
  }
}
