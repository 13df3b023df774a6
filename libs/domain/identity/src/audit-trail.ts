import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { AuditEntry, QueueName } from '@appconda/contracts';
import { generateId, serviceLogger } from '@appconda/core';
import { InjectJobQueue, JobQueue } from '@appconda/queue';

const logger = serviceLogger('api');

export interface AuditTrailOptions {
  /** How long the first entry of a batch waits for company, in ms; default 50. */
  lingerMs?: number;
  /** Entries per job at most; a full batch is sent at once. Default 500. */
  maxBatch?: number;
  /** Entries kept while Redis is unreachable; beyond it the oldest are dropped (and logged). Default 50 000. */
  maxPending?: number;
}

export const AUDIT_TRAIL_OPTIONS = Symbol('AUDIT_TRAIL_OPTIONS');

/**
 * The API side of audits: each successful audited route adds its entry here, and the entries of a few
 * milliseconds travel as one `v1-audits` job, written by worker-audits as one multi-row insert. A busy
 * API thus enqueues tens of entries per Bull job instead of one job per write request, which kept the
 * audits worker behind the API in the benchmark. Each entry has its own id, so retries stay
 * idempotent. An entry waits at most `lingerMs` in memory; on shutdown the last batch is sent before
 * the queues close, and a failed enqueue keeps its entries for the next try.
 */
@Injectable()
export class AuditTrail implements BeforeApplicationShutdown, OnApplicationShutdown {
  private pending: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly lingerMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;

  constructor(
    @InjectJobQueue(QueueName.Audits) private readonly queue: JobQueue<QueueName.Audits>,
    @Optional() @Inject(AUDIT_TRAIL_OPTIONS) options: AuditTrailOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? 50;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxPending = options.maxPending ?? 50_000;
  }

  /** Adds one entry (its id is given here); it reaches the queue within `lingerMs`. */
  record(entry: Omit<AuditEntry, 'id'>): void {
    this.pending.push({ id: generateId(), ...entry });
    if (this.pending.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.lingerMs);
  }

  /** Entries not enqueued yet. */
  get size(): number {
    return this.pending.length;
  }

  /** Sends everything pending, in jobs of at most `maxBatch` entries. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length) {
      const entries = this.pending.splice(0, this.maxBatch);
      try {
        await this.queue.add({ entries });
      } catch (err) {
        this.restore(entries);
        logger.error({ err, event: 'audit_enqueue_failed', entries: entries.length }, 'audit entries could not be enqueued; retrying');
        this.timer ??= setTimeout(() => void this.flush(), 1000);
        return;
      }
    }
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.flush();
  }

  /** Entries of requests that ended while the HTTP server drained, best effort. */
  onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.pending.length ? this.flush().finally(() => clearTimeout(this.timer)) : Promise.resolve();
  }

  private restore(entries: AuditEntry[]): void {
    this.pending = entries.concat(this.pending);
    const excess = this.pending.length - this.maxPending;
    if (excess > 0) {
      this.pending.splice(0, excess);
      logger.error({ event: 'audit_entries_dropped', dropped: excess }, 'audit backlog full while the queue is unreachable; oldest entries dropped');
    }
  }
}
