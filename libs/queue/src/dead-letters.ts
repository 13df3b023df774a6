import { Injectable } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { Logger } from 'pino';
import { QueueName } from '@appconda/contracts';

import { queueKeyPrefix, QueueRegistry } from './queue.registry';

/** A job that failed for good: attempts exhausted, discarded as invalid, or stalled too often. */
export interface DeadLetter {
  queue: string;
  jobId: string;
  payload: unknown;
  error: string;
  attempts: number;
  /** ISO 8601. */
  failedAt: string;
}

/** The newest entries kept per queue; older ones are trimmed (the failed job stays in Bull too). */
export const DEAD_LETTER_CAP = 10_000;

/**
 * Dead letters live in one Redis list per queue, `<prefix>:dead-letter:<queue>`, newest first, outside
 * Bull's own `<prefix>:<queue>:*` namespace so no job id can collide with it. A list rather than a DB
 * row because workers such as mails and messaging have no database connection.
 */
export function deadLetterKey(queue: Queue): string {
  return `${queueKeyPrefix(queue)}:dead-letter:${queue.name}`;
}

/** Appends the job to the queue's dead-letter list when its failure is final; no-op while it retries. */
export async function recordIfDead(queue: Queue, job: Job, error: Error, logger: Logger): Promise<void> {
  if (!job) return; // a stalled job another worker already removed
  // 'failed' is emitted after Bull moved the job: to delayed/waiting when it retries, to failed when not.
  if (!(await job.isFailed())) return;
  const letter: DeadLetter = {
    queue: queue.name,
    jobId: String(job.id),
    payload: job.data,
    error: error?.message ?? String(error),
    attempts: job.attemptsMade,
    failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
  };
  const key = deadLetterKey(queue);
  await queue.client.multi().lpush(key, JSON.stringify(letter)).ltrim(key, 0, DEAD_LETTER_CAP - 1).exec();
  logger.error({ event: 'job_dead_lettered', queue: queue.name, jobId: letter.jobId, attempts: letter.attempts, err: error }, `job ${letter.jobId} of ${queue.name} failed for good`);
}

/** Reads the dead-letter lists (newest first). */
@Injectable()
export class DeadLetters {
  constructor(private readonly queues: QueueRegistry) {}

  async list(queue: QueueName, { limit = 25, offset = 0 }: { limit?: number; offset?: number } = {}): Promise<DeadLetter[]> {
    const bull = this.queues.get(queue);
    const rows = await bull.client.lrange(deadLetterKey(bull), offset, offset + limit - 1);
    return rows.map((row) => JSON.parse(row) as DeadLetter);
  }

  count(queue: QueueName): Promise<number> {
    const bull = this.queues.get(queue);
    return bull.client.llen(deadLetterKey(bull));
  }
}
