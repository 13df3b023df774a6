import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { ExecutionRepository, ProjectRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';

import { cutoffOf, sweepProjects } from './project-ids';

const BATCH = 5000;

/**
 * `executions` retention (`_APP_MAINTENANCE_RETENTION_EXECUTION`, 14 days by default): every project's
 * function executions created before the job's cut-off, in bounded batches. Idempotent.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Executions)
export class ExecutionsRetentionHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    private readonly executions: ExecutionRepository,
    private readonly projects: ProjectRepository,
  ) {}

  async handle(job: DeleteJob): Promise<{ deleted: number; projects: number }> {
    const cutoff = cutoffOf(job);
    return sweepProjects(job, this.projects, { batch: BATCH, cutoff, event: 'executions_retention', rows: 'executions' }, (projectId) => this.executions.deleteOlderThan(projectId, cutoff, BATCH));
  }
}
