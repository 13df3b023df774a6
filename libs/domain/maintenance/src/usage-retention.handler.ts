import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { ProjectRepository, StatsRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';

import { cutoffOf, sweepProjects } from './project-ids';

const BATCH = 5000;

/**
 * `usageStats` retention (`_APP_MAINTENANCE_RETENTION_USAGE_HOURLY`, 100 days by default): every
 * project's hourly `stats` rows whose hour started before the job's cut-off, in bounded batches. As in
 * Appwrite 1.3, daily rows are kept. The raw InfluxDB points expire by the database's own retention
 * policy (see USAGE_POINTS_RETENTION_DAYS). Idempotent: a retry deletes only what is still older.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.UsageStats)
export class UsageRetentionHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly stats: StatsRepository,
  ) {}

  async handle(job: DeleteJob): Promise<{ deleted: number; projects: number }> {
    const cutoff = cutoffOf(job);
    return sweepProjects(job, this.projects, { batch: BATCH, cutoff, event: 'usage_retention', rows: 'hourly usage rows' }, (projectId) => this.stats.deleteBefore(projectId, '1h', cutoff, BATCH));
  }
}
