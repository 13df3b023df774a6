import { Injectable } from '@nestjs/common';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { JobHandler } from '@appconda/queue';

import { DatabasesTeardownService } from './databases-teardown.service';

/**
 * The `databases` and `collections` types of the deletes queue. The API removed the metadata row
 * and enqueued `{ document: { $id, $internalId, collection } }`, where a collection's `collection`
 * is `database_<databaseSeq>` as in Appwrite 1.3.
 */
@Injectable()
export class DatabasesDeletesHandler implements JobHandler<QueueName.Deletes> {
  static readonly TYPES = [DeleteJobType.Databases, DeleteJobType.Collections] as const;

  constructor(private readonly teardown: DatabasesTeardownService) {}

  /** Same as handle(), under the name the projects lib's deletes dispatch calls. */
  handleDelete(job: DeleteJob): Promise<string> {
    return this.handle(job);
  }

  async handle(job: DeleteJob): Promise<string> {
    const seq = job.document?.$internalId;
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
