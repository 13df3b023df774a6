import { Process, Processor } from '@nestjs/bull';
import { Job } from 'bull';
import { AuditJob, QueueName } from '@appconda/contracts';
import { AuditRepository } from '@appconda/database';
import { QueueProcessor } from '@appconda/queue';

/**
 * The audit entry's id: the job's id plus its enqueue time, stable across retries (so a retried job
 * finds its row and writes nothing) and still unique if the queue's id counter ever starts over.
 */
export function auditEntryId(jobId: string, enqueuedAt: number): string {
  return `${enqueuedAt.toString(36)}.${jobId}`;
}

/** Writes each audit job as one row of the project's audit log. */
@Processor(QueueName.Audits)
export class AuditsProcessor extends QueueProcessor<QueueName.Audits> {
  constructor(audits: AuditRepository) {
    super(QueueName.Audits, {
      handle: (entry, { enqueuedAt, jobId }) => audits.insert(entry.projectId, { ...entry, id: auditEntryId(jobId, enqueuedAt) }),
    });
  }

  // Inserts are idempotent and independent: several at once keep up with a busy API.
  @Process({ concurrency: 4 })
  process(job: Job<AuditJob>): Promise<unknown> {
    return this.run(job);
  }
}
