import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'mariadb';

import { collectionTableName } from '../collections/collection.ddl';
import { CONSOLE_PROJECT_ID } from '../database.settings';
import { MARIADB_POOL } from '../database.tokens';
import { poolTransaction } from '../pool-transaction';
import { lockLiveProjects } from './live-projects';
import { assertProjectId } from './scoped.repository';

/** The two granularities usage is kept in (Appwrite 1.3: hourly for the 24h range, daily otherwise). */
export type StatPeriod = '1h' | '1d';

/** One usage statistic: the absolute value of a project's metric over the period starting at `time`. */
export interface StatRow {
  projectId: string;
  metric: string;
  period: StatPeriod;
  /** Period start (UTC). */
  time: Date;
  value: number;
}

/** A gauge read from the tables: a project's current count of something (`users.count`, `files.storage:<bucketId>` …). */
export interface ResourceCount {
  projectId: string;
  metric: string;
  value: number;
}

const UPSERT_CHUNK = 500;
const ER_LOCK_DEADLOCK = 1213;
const DEADLOCK_ATTEMPTS = 3;
const COUNT_CHUNK = 100;

type Row = Record<string, string | number | bigint | Date | null>;

/**
 * The `stats` table and the counts the usage service snapshots into it. Writes are absolute
 * (`value = VALUES(value)`), so recomputing a period rewrites its row: aggregation is idempotent.
 * Raw pool queries: the usage service runs them in bulk, over every project at once.
 */
@Injectable()
export class StatsRepository {
  constructor(@Inject(MARIADB_POOL) private readonly pool: Pool) {}

  /**
   * Writes the rows, replacing the value of any (project, metric, period, time) already stored. Rows of
   * projects that no longer exist are skipped: counts still in flight when a project was deleted must
   * not outlive its cascade (`lockLiveProjects`).
   */
  async upsert(rows: readonly StatRow[]): Promise<void> {
    if (rows.length === 0) return;
    const now = new Date();
    await poolTransaction(this.pool, async (connection) => {
      const alive = await lockLiveProjects(
        connection,
        rows.map((row) => row.projectId),
      );
      const kept = rows.filter((row) => alive.has(row.projectId));
      for (let start = 0; start < kept.length; start += UPSERT_CHUNK) {
        const chunk = kept.slice(start, start + UPSERT_CHUNK);
        const params = chunk.flatMap((row) => [row.projectId, row.metric, row.period, row.time, Math.round(row.value), now]);
        await connection.query(
          `INSERT INTO \`stats\` (_project, metric, period, time, value, _updatedAt) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ` +
            'ON DUPLICATE KEY UPDATE value = VALUES(value), _updatedAt = VALUES(_updatedAt)',
          params,
        );
      }
    });
  }

  /**
   * Adds one batch of counts to `stats` (`value = value + …`), once: the batch id goes into
   * `stats_batches` in the same transaction, so a retried batch is recognised and adds nothing.
   * Rows of projects that no longer exist are skipped (`lockLiveProjects`). Rows are written in key
   * order, so concurrent batches lock shared rows in the same order; a deadlock all the same rolls
   * the whole batch back (id included) and is retried. Resolves false when the batch was already added.
   */
  async addBatch(batchId: string, rows: readonly StatRow[]): Promise<boolean> {
    const sorted = [...rows].sort((a, b) => compareKeys(a, b));
    for (let attempt = 1; ; attempt++) {
      try {
        return await poolTransaction(this.pool, async (connection) => {
          const marked = (await connection.query('INSERT IGNORE INTO `stats_batches` (id) VALUES (?)', [batchId])) as { affectedRows: number };
          if (marked.affectedRows === 0) return false;
          const alive = await lockLiveProjects(
            connection,
            sorted.map((row) => row.projectId),
          );
          const kept = sorted.filter((row) => alive.has(row.projectId));
          const now = new Date();
          for (let start = 0; start < kept.length; start += UPSERT_CHUNK) {
            const chunk = kept.slice(start, start + UPSERT_CHUNK);
            await connection.query(
              `INSERT INTO \`stats\` (_project, metric, period, time, value, _updatedAt) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ` +
                'ON DUPLICATE KEY UPDATE value = value + VALUES(value), _updatedAt = VALUES(_updatedAt)',
              chunk.flatMap((row) => [row.projectId, row.metric, row.period, row.time, Math.round(row.value), now]),
            );
          }
          return true;
        });
      } catch (error) {
        if ((error as { errno?: number }).errno !== ER_LOCK_DEADLOCK || attempt >= DEADLOCK_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Forgets the ids of batches flushed before `before` (a retry that late is not expected): batch ids
   * start with their ISO flush time, so this is one range of the primary key. Resolves how many went.
   */
  async pruneBatches(before: Date, limit = 10_000): Promise<number> {
    const result = (await this.pool.query('DELETE FROM `stats_batches` WHERE id < ? LIMIT ?', [before.toISOString(), limit])) as { affectedRows: number };
    return result.affectedRows;
  }

  /** A project's stored values of `metrics` in one period since `since` (one query, whatever the number of metrics). */
  async series(projectId: string, metrics: readonly string[], period: StatPeriod, since: Date): Promise<StatRow[]> {
    if (metrics.length === 0) return [];
    const rows: Row[] = await this.pool.query(
      `SELECT metric, time, value FROM \`stats\` WHERE _project = ? AND period = ? AND time >= ? AND metric IN (${metrics.map(() => '?').join(', ')})`,
      [assertProjectId(projectId), period, since, ...metrics],
    );
    return rows.map((row) => ({ projectId, metric: String(row.metric), period, time: row.time as Date, value: Number(row.value) }));
  }

  /**
   * The (project, metric) pairs stored for one period start whose metric starts with one of
   * `prefixes`, for the projects that exist (one index range per project: `_project, period, time`).
   */
  async keysAt(period: StatPeriod, time: Date, prefixes: readonly string[]): Promise<{ projectId: string; metric: string }[]> {
    if (prefixes.length === 0) return [];
    const rows: Row[] = await this.pool.query(
      'SELECT s._project AS p, s.metric FROM `projects` pr JOIN `stats` s ON s._project = pr._uid AND s.period = ? AND s.time = ? ' +
        `WHERE pr._project = ? AND (${prefixes.map(() => 's.metric LIKE ?').join(' OR ')})`,
      [period, time, CONSOLE_PROJECT_ID, ...prefixes.map((prefix) => `${likeEscape(prefix)}%`)],
    );
    return rows.map((row) => ({ projectId: String(row.p), metric: String(row.metric) }));
  }

  /**
   * Retention: removes up to `limit` of a project's rows of one period that started before `before`
   * (one range of the `_project, period, time` index); resolves how many went.
   */
  async deleteBefore(projectId: string, period: StatPeriod, before: Date, limit: number): Promise<number> {
    const result = (await this.pool.query('DELETE FROM `stats` WHERE _project = ? AND period = ? AND time < ? LIMIT ?', [
      assertProjectId(projectId),
      period,
      before,
      limit,
    ])) as { affectedRows: number };
    return result.affectedRows;
  }

  /** Cascade of a deleted project: every row it has; resolves how many went. */
  async deleteProject(projectId: string): Promise<number> {
    const result = (await this.pool.query('DELETE FROM `stats` WHERE _project = ?', [assertProjectId(projectId)])) as { affectedRows: number };
    return result.affectedRows;
  }

  /**
   * Cascade of a deleted resource: the project's rows of the `families`' metrics kept for `path`
   * and below it — for families `['documents']` and path `db`: `documents.requests.read:db`,
   * `documents.count:db/col` …, never `documents.count` nor another family's `files.count:db`.
   */
  async deleteResource(projectId: string, families: readonly string[], path: string): Promise<number> {
    if (families.length === 0 || path === '') return 0;
    const patterns = families.flatMap((family) => [`${likeEscape(family)}.%:${likeEscape(path)}`, `${likeEscape(family)}.%:${likeEscape(path)}/%`]);
    const result = (await this.pool.query(`DELETE FROM \`stats\` WHERE _project = ? AND (${patterns.map(() => 'metric LIKE ?').join(' OR ')})`, [
      assertProjectId(projectId),
      ...patterns,
    ])) as {
      affectedRows: number;
    };
    return result.affectedRows;
  }

  /**
   * The current counts of every project (what Appwrite 1.3's usage database calculator counts):
   * users, databases, collections (per database), documents (per database and collection), buckets,
   * files and their stored bytes (per bucket). Per-resource counts carry the resource path after `:`.
   * The console project's own rows are not project usage and are left out.
   */
  async resourceCounts(): Promise<ResourceCount[]> {
    const counts: ResourceCount[] = [];
    const add = (projectId: string, metric: string, value: unknown) => counts.push({ projectId, metric, value: Number(value ?? 0) });
    const [users, databases, collections, buckets, files] = await Promise.all([
      this.pool.query<Row[]>('SELECT _project AS p, COUNT(1) AS n FROM `users` WHERE _project <> ? GROUP BY _project', [CONSOLE_PROJECT_ID]),
      this.pool.query<Row[]>('SELECT _project AS p, COUNT(1) AS n FROM `databases` GROUP BY _project'),
      this.pool.query<Row[]>(
        'SELECT c._project AS p, d._uid AS db, COUNT(1) AS n FROM `collections` c JOIN `databases` d ON d._id = c.databaseInternalId GROUP BY c._project, d._uid',
      ),
      this.pool.query<Row[]>('SELECT _project AS p, COUNT(1) AS n FROM `buckets` GROUP BY _project'),
      this.pool.query<Row[]>(
        'SELECT _project AS p, bucketId AS b, COUNT(1) AS n, SUM(sizeActual) AS s FROM `files` WHERE chunksUploaded >= chunksTotal GROUP BY _project, bucketId',
      ),
    ]);
    for (const row of users) add(String(row.p), 'users.count', row.n);
    for (const row of databases) add(String(row.p), 'databases.count', row.n);
    for (const row of buckets) add(String(row.p), 'buckets.count', row.n);
    for (const row of collections) add(String(row.p), `collections.count:${row.db}`, row.n);
    for (const row of files) {
      add(String(row.p), `files.count:${row.b}`, row.n);
      add(String(row.p), `files.storage:${row.b}`, row.s);
    }
    counts.push(...rollUp(counts, ['collections.count', 'files.count', 'files.storage']));
    const documents = await this.documentCounts();
    counts.push(...documents, ...rollUp(documents, ['documents.count']));
    return counts;
  }

  /** `documents.count:<databaseId>/<collectionId>` of every collection whose table exists (one COUNT per table, batched). */
  private async documentCounts(): Promise<ResourceCount[]> {
    const [collections, tables] = await Promise.all([
      this.pool.query<Row[]>(
        'SELECT c._project AS p, d._uid AS db, c._uid AS col, pr._id AS ps, d._id AS ds, c._id AS cs FROM `collections` c ' +
          'JOIN `databases` d ON d._id = c.databaseInternalId JOIN `projects` pr ON pr._project = ? AND pr._uid = c._project',
        [CONSOLE_PROJECT_ID],
      ),
      this.pool.query<Row[]>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()'),
    ]);
    const existing = new Set(tables.map((row) => String(row.t)));
    const targets = collections
      .map((row) => ({
        projectId: String(row.p),
        metric: `documents.count:${row.db}/${row.col}`,
        table: collectionTableName(String(row.ps), String(row.ds), String(row.cs)),
      }))
      .filter((target) => existing.has(target.table));
    const counts: ResourceCount[] = [];
    for (let start = 0; start < targets.length; start += COUNT_CHUNK) {
      const chunk = targets.slice(start, start + COUNT_CHUNK);
      // Table names come from collectionTableName (digits and underscores only), never from input.
      const rows: Row[] = await this.pool.query(
        chunk.map((target, index) => `SELECT ${index} AS i, COUNT(1) AS n FROM \`${target.table}\``).join(' UNION ALL '),
      );
      for (const row of rows) {
        const target = chunk[Number(row.i)];
        counts.push({ projectId: target.projectId, metric: target.metric, value: Number(row.n) });
      }
    }
    return counts;
  }
}

/**
 * The coarser counts of per-resource ones: `documents.count:db/col` adds to `documents.count:db` and
 * `documents.count`; `files.count:bucket` to `files.count`. Only the metrics named are rolled up.
 */
function rollUp(counts: readonly ResourceCount[], metrics: readonly string[]): ResourceCount[] {
  const totals = new Map<string, ResourceCount>();
  for (const count of counts) {
    const [metric, path] = splitMetric(count.metric);
    if (!metrics.includes(metric) || path === undefined) continue;
    const parts = path.split('/');
    // Every strict prefix of the path, down to the project-wide metric.
    for (let depth = 0; depth < parts.length; depth++) {
      const name = depth === 0 ? metric : `${metric}:${parts.slice(0, depth).join('/')}`;
      const key = `${count.projectId}\u0000${name}`;
      const total = totals.get(key) ?? { projectId: count.projectId, metric: name, value: 0 };
      total.value += count.value;
      totals.set(key, total);
    }
  }
  return [...totals.values()];
}

function splitMetric(name: string): [string, string | undefined] {
  const at = name.indexOf(':');
  return at < 0 ? [name, undefined] : [name.slice(0, at), name.slice(at + 1)];
}

function compareKeys(a: StatRow, b: StatRow): number {
  return a.projectId.localeCompare(b.projectId) || a.metric.localeCompare(b.metric) || a.period.localeCompare(b.period) || a.time.getTime() - b.time.getTime();
}

/** A literal for LIKE: its `\\`, `%` and `_` escaped. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
