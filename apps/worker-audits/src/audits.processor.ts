import { Process, Processor } from '@nestjs/bull';
import { Job } from 'bull';
import { AuditEntry, AuditJob, QueueName } from '@appconda/contracts';
import { AuditRepository } from '@appconda/database';
import { QueueProcessor } from '@appconda/queue';

const MODES: readonly string[] = ['admin', 'default'];

/** Whether an entry of a batch can be written; a malformed one is logged and skipped, never retried. */
export function isAuditEntry(entry: unknown): entry is AuditEntry {
  const e = entry as Partial<AuditEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    e.id !== '' &&
    typeof e.projectId === 'string' &&
    typeof e.event === 'string' &&
    typeof e.resource === 'string' &&
    typeof e.userId === 'string' &&
    MODES.includes(e.mode as string) &&
    typeof e.data === 'object' &&
    e.data !== null &&
    typeof e.ip === 'string' &&
    typeof e.userAgent === 'string' &&
    typeof e.time === 'string' &&
    !Number.isNaN(Date.parse(e.time))
  );
}

/**
 * Writes each batch of audit entries with multi-row inserts. Every entry carries its own id, so a
 * retried batch (after a crash between the insert and Bull's ack) writes only what is missing.
 */
@Processor(QueueName.Audits)
export class AuditsProcessor extends QueueProcessor<QueueName.Audits> {
  constructor(audits: AuditRepository) {
    super(QueueName.Audits, {
      handle: async ({ entries }, { jobId }) => {
        const valid = entries.filter(isAuditEntry);
        if (valid.length < entries.length) {
          this.logger.error({ event: 'audit_entries_invalid', jobId, skipped: entries.length - valid.length }, 'skipped malformed audit entries');
        }
        return { written: await audits.insertMany(valid) };
      },
    });
  }

  // Batches are independent and idempotent: two at once keep up after a burst.
  @Process({ concurrency: 2 })
  process(job: Job<AuditJob>): Promise<unknown> {
    return this.run(job);
  }
}
