import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { HandlesJob, JobHandler } from '@appconda/queue';

import { DatabasesTeardownService } from './databases-teardown.service';

/**
 * The deletes queue's `databases` and `collections` types (the API removed the metadata row and
 * enqueued `{ document: { $id, $internalId, collection } }`, where a collection's `collection` is
 * `database_<databaseSeq>` as in Appwrite 1.3), and the Databases share of a `projects` delete (its
 * `document.$internalId` is the project sequence, so the tables go even when the project row already has).
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Databases, DeleteJobType.Collections, DeleteJobType.Projects)
export class DatabasesDeletesHandler implements JobHandler<QueueName.Deletes> {
  constructor(private readonly teardown: DatabasesTeardownService) {}

  async handle(job: DeleteJob): Promise<string> {
    const seq = job.document?.$internalId;
    if (job.type === DeleteJobType.Projects) {
      const projectId = job.document?.$id ?? job.projectId;
      if (!projectId || projectId === 'console') throw new Error(`refusing to tear down the databases of project "${projectId ?? ''}"`);
      await this.teardown.deleteProject(projectId, seq);
      return 'deleted';
    }
    if (!job.projectId || !seq) throw new Error(`a ${job.type} delete needs projectId and document.$internalId`);
    if (job.type === DeleteJobType.Databases) {
      await this.teardown.deleteDatabase(job.projectId, seq);
      return 'deleted';
    }
    if (job.type === DeleteJobType.Collections) {
      const databaseSeq = /^database_(\d+)$/.exec(job.document?.collection ?? '')?.[1];
      if (!databaseSeq) throw new Error('a collections delete needs document.collection = database_<databaseSeq>');
      await this.teardown.deleteCollection(job.projectId, databaseSeq, seq);
      return 'deleted';
    }
    throw new Error(`the databases deletes handler does not handle ${job.type} jobs`);
  }
}
