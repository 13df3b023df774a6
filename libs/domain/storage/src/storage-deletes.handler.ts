import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { HandlesJob, JobHandler } from '@appconda/queue';

import { StorageCleanupService } from './storage-cleanup.service';

/**
 * Storage's part of worker-deletes: a deleted bucket's files (bytes, chunks, rows), and a deleted
 * project's storage folder, buckets and files. Idempotent, so a retried job finds less to do.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Buckets, DeleteJobType.Projects)
export class StorageDeletesHandler implements JobHandler<QueueName.Deletes> {
  constructor(private readonly cleanup: StorageCleanupService) {}

  async handle(job: DeleteJob): Promise<{ files?: number }> {
    if (job.type === DeleteJobType.Buckets) {
      if (!job.projectId || !job.document?.$internalId) throw new Error('a buckets delete job needs projectId and the bucket $internalId');
      return { files: await this.cleanup.deleteBucketFiles(job.projectId, job.document.$internalId) };
    }
    const projectId = job.document?.$id ?? job.projectId;
    if (!projectId || projectId === 'console') throw new Error(`refusing to delete the storage of project "${projectId ?? ''}"`);
    await this.cleanup.deleteProjectStorage(projectId);
    return {};
  }
}
