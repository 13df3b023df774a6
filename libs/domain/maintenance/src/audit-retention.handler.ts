import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { AuditRepository, ProjectRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';

import { cutoffOf, projectsOf } from './project-ids';

const logger = serviceLogger('worker-deletes');
const BATCH = 5000;

/**
 * `audit` retention (`_APP_MAINTENANCE_RETENTION_AUDIT`): every project's audit entries older than the
 * job's cut-off, in bounded batches. Idempotent: a retry deletes only what is still older.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Audit)
export class AuditRetentionHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    private readonly audits: AuditRepository,
    private readonly projects: ProjectRepository,
  ) {}

  async handle(job: DeleteJob): Promise<{ deleted: number; projects: number }> {
    const cutoff = cutoffOf(job);
    let deleted = 0;
    let projects = 0;
    for await (const projectId of projectsOf(job, this.projects)) {
      projects++;
      for (;;) {
        const removed = await this.audits.deleteBefore(projectId, cutoff, BATCH);
        deleted += removed;
        if (removed < BATCH) break;
      }
    }
    logger.info({ event: 'audit_retention', cutoff: cutoff.toISOString(), deleted, projects }, `deleted ${deleted} audit entries`);
    return { deleted, projects };
  }
}
