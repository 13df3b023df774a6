import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolConnection } from 'mariadb';
import { DataSource } from 'typeorm';

import { MARIADB_POOL } from '../database.tokens';
import { poolTransaction } from '../pool-transaction';
import { AuditEntity } from '../entities';
import { lockLiveProjects } from './live-projects';
import { assertProjectId, ScopedRepository } from './scoped.repository';

/** One audit entry as the audits worker receives it. */
export interface AuditEntryInput {
  /** Unique per entry and stable across retries (AuditEntry.id). Makes insert idempotent. */
  id: string;
  event: string;
  resource?: string;
  /** Acting user; empty or null for API-key and guest calls (stored as NULL). */
  userId?: string | null;
  userInternalId?: string | null;
  userName?: string;
  userEmail?: string;
  /** `admin` for console/API-key actors, `default` otherwise (Appwrite's log mode). */
  mode?: string;
  userAgent?: string;
  ip?: string;
  /** Two-letter country code, when known. */
  location?: string;
  /** When it happened (a Date or ISO 8601 string, as AuditEntry carries); defaults to now. */
  time?: Date | string;
  data?: Record<string, unknown>;
}

export interface AuditPage {
  limit?: number;
  offset?: number;
}

const COLUMNS = [
  '_uid',
  '_project',
  '_createdAt',
  '_updatedAt',
  '_permissions',
  'userInternalId',
  'userId',
  'userName',
  'userEmail',
  'mode',
  'event',
  'resource',
  'userAgent',
  'ip',
  'location',
  'time',
  'data',
];

const ROW = `(${COLUMNS.map(() => '?').join(', ')})`;

/** Rows per INSERT statement: 17 placeholders each, far below MariaDB's 65 535. */
const ROWS_PER_STATEMENT = 500;

/** The INSERT of `rows` entries; the no-op update makes a duplicate entry id a silent success (affectedRows 0). */
function insertSql(rows: number): string {
  return `INSERT INTO \`audit\` (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => ROW).join(', ')} ON DUPLICATE KEY UPDATE _id = _id`;
}

@Injectable()
export class AuditRepository extends ScopedRepository<AuditEntity> {
  constructor(
    dataSource: DataSource,
    @Inject(MARIADB_POOL) private readonly pool: Pool,
  ) {
    super(dataSource, AuditEntity);
  }

  /**
   * Writes one entry through the raw pool. Idempotent on `entry.id`: a retried job finds its row
   * already there and writes nothing. Resolves whether a row was written.
   */
  async insert(projectId: string, entry: AuditEntryInput): Promise<boolean> {
    return (await this.insertMany([{ ...entry, projectId }])) === 1;
  }

  /**
   * Writes a batch of entries (of any projects) with multi-row INSERTs through the raw pool, the audits
   * worker's hot path. Idempotent on each `id`, so a retried batch adds only what is missing. Resolves
   * how many rows were written.
   *
   * Entries can reach the worker after their project was deleted (they wait in the API's batch or the
   * queue while the delete runs): they are written only for live projects, under `lockLiveProjects`,
   * so a deleted project's entries are dropped and a delete in flight waits for the insert (its cascade
   * then removes them).
   */
  async insertMany(entries: readonly (AuditEntryInput & { projectId: string })[]): Promise<number> {
    const now = new Date();
    return poolTransaction(this.pool, async (connection) => {
      const live = await lockLiveProjects(
        connection,
        entries.map((entry) => entry.projectId),
      );
      return insertRows(
        connection,
        entries.filter((entry) => live.has(entry.projectId)),
        now,
      );
    });
  }

  /** A user's entries, newest first. */
  listByUser(projectId: string, userId: string, page: AuditPage = {}): Promise<AuditEntity[]> {
    return this.list(projectId, { where: { userId }, order: { time: 'DESC', internalId: 'DESC' }, ...page });
  }

  countByUser(projectId: string, userId: string): Promise<number> {
    return this.count(projectId, { userId });
  }

  /** A resource's entries (e.g. `database/abc/collection/def`), newest first. */
  listByResource(projectId: string, resource: string, page: AuditPage = {}): Promise<AuditEntity[]> {
    return this.list(projectId, { where: { resource }, order: { time: 'DESC', internalId: 'DESC' }, ...page });
  }

  countByResource(projectId: string, resource: string): Promise<number> {
    return this.count(projectId, { resource });
  }

  /**
   * Retention: deletes the project's entries older than `before`, at most `batch` rows per call (so a
   * large backlog does not hold one long lock); resolves how many went. Call until it returns < batch.
   */
  async deleteBefore(projectId: string, before: Date, batch = 10000): Promise<number> {
    const result = (await this.pool.query('DELETE FROM `audit` WHERE _project = ? AND time < ? LIMIT ?', [assertProjectId(projectId), before, batch])) as {
      affectedRows: number;
    };
    return result.affectedRows;
  }
}

/** Multi-row INSERTs of `entries`, ROWS_PER_STATEMENT at a time; resolves how many rows were written. */
async function insertRows(db: PoolConnection, entries: readonly (AuditEntryInput & { projectId: string })[], now: Date): Promise<number> {
  let written = 0;
  for (let start = 0; start < entries.length; start += ROWS_PER_STATEMENT) {
    const chunk = entries.slice(start, start + ROWS_PER_STATEMENT);
    const result = (await db.query(
      insertSql(chunk.length),
      chunk.flatMap((entry) => rowValues(entry, now)),
    )) as { affectedRows: number };
    written += result.affectedRows;
  }
  return written;
}

function rowValues(entry: AuditEntryInput & { projectId: string }, now: Date): unknown[] {
  if (!entry.id) throw new Error('an audit entry needs an id');
  const time = entry.time ? new Date(entry.time) : now;
  if (Number.isNaN(time.getTime())) throw new Error(`invalid audit time ${JSON.stringify(entry.time)}`);
  return [
    entry.id,
    assertProjectId(entry.projectId),
    now,
    now,
    '[]',
    entry.userInternalId ?? null,
    entry.userId || null,
    entry.userName ?? '',
    entry.userEmail ?? '',
    entry.mode ?? '',
    entry.event,
    entry.resource ?? '',
    entry.userAgent ?? '',
    entry.ip ?? '',
    entry.location ?? '',
    time,
    JSON.stringify(entry.data ?? {}),
  ];
}
