import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { AuditRepository, ProjectRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';

import { cutoffOf, sweepProjects } from './project-ids';

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
    return sweepProjects(job, this.projects, { batch: BATCH, cutoff, event: 'audit_retention', rows: 'audit entries' }, (projectId) => this.audits.deleteBefore(projectId, cutoff, BATCH));
  }
}
