import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { CONSOLE_PROJECT_ID, DatabaseRepository, StatsRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';

import { InfluxClient, InfluxPoint, quoteIdentifier, quoteString } from './influx.client';
import { InfluxSink, USAGE_POINTS_RETENTION_DAYS } from './influx.sink';
import { USAGE_MEASUREMENT } from './usage-points.handler';

const logger = serviceLogger('worker-deletes');

/** The tag that keeps a deleted resource's points apart (its value names the resource's internal id). */
export const DETACHED_TAG = 'detached';

/** What a cascade removes: stats rows of `families` at `path`, and the InfluxDB points tagged `labels`. */
interface UsageScope {
  projectId: string;
  families: readonly string[];
  /** `db`, `db/col` or `bucket`: the stats key suffix of the resource. */
  path: string;
  /** The point tags that identify the resource; the last ones are dropped when its points are detached. */
  labels: Record<string, string>;
  /** Which of `labels` go (the resource's own and those below it); the rest stay on the detached points. */
  drop: readonly string[];
  detached: string;
}

export interface UsageCascadeResult {
  rows: number;
  /** Hourly sums of the resource's points kept, detached, for the project (and database) totals. */
  detached?: number;
  skipped?: 'database_gone';
}

/**
 * Usage's part of worker-deletes: what a deleted project, database, collection or bucket leaves in
 * `stats` and InfluxDB, so a resource re-created with the same id starts a fresh history.
 * - project: all its `stats` rows and `DELETE FROM usage WHERE project = …`;
 * - database / collection / bucket: its labelled rows (`documents.requests.read:db`, `…:db/col`,
 *   `files.count:bucket` — only the families the resource's routes and counts write, so a bucket and a
 *   database with the same id never touch each other's rows); the project's (and database's) own rows
 *   keep the resource's share. In InfluxDB its points are not just deleted either, so that sums over
 *   the raw points keep the totals too: they are summed per hour and written back without the
 *   resource's labels, under `detached=<type>_<internalId>` (a series of its own, never overwriting a
 *   live point), and then the labelled points are deleted.
 * Idempotent: a retry after the move finds no labelled points; a retry in between writes the very
 * same sums at the same times (an overwrite) before deleting. InfluxDB is optional: when it is away
 * (InfluxSink) or `_APP_USAGE_STATS=disabled`, only the rows go.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Projects, DeleteJobType.Databases, DeleteJobType.Collections, DeleteJobType.Buckets)
export class UsageDeletesHandler implements JobHandler<QueueName.Deletes> {
  private readonly influxEnabled: boolean;

  constructor(
    config: AppConfig,
    private readonly databases: DatabaseRepository,
    private readonly influx: InfluxClient,
    private readonly sink: InfluxSink,
    private readonly stats: StatsRepository,
  ) {
    this.influxEnabled = config.get('usage').enabled;
  }

  async handle(job: DeleteJob): Promise<UsageCascadeResult> {
    if (job.type === DeleteJobType.Projects) return this.deleteProject(job);
    const scope = await this.scopeOf(job);
    if (!scope) return { rows: 0, skipped: 'database_gone' };
    const detached = this.influxEnabled ? ((await this.sink.run((database) => this.detachPoints(database, scope))) ?? 0) : 0;
    const rows = await this.stats.deleteResource(scope.projectId, scope.families, scope.path);
    logger.info({ event: 'usage_cascade', type: job.type, projectId: scope.projectId, path: scope.path, rows, detached }, `usage of ${job.type} ${scope.path} deleted`);
    return { rows, detached };
  }

  private async deleteProject(job: DeleteJob): Promise<UsageCascadeResult> {
    const projectId = job.document?.$id ?? job.projectId;
    if (!projectId || projectId === CONSOLE_PROJECT_ID) throw new Error(`refusing to delete the usage of project "${projectId ?? ''}"`);
    if (this.influxEnabled) await this.sink.run((database) => this.influx.exec(database, `DELETE FROM ${quoteIdentifier(USAGE_MEASUREMENT)} WHERE "project" = ${quoteString(projectId)}`));
    const rows = await this.stats.deleteProject(projectId);
    logger.info({ event: 'usage_cascade', type: job.type, projectId, rows }, `usage of project ${projectId} deleted`);
    return { rows };
  }

  /** The resource a job names; undefined for a collection whose database is gone (the database's own job covers it). */
  private async scopeOf(job: DeleteJob): Promise<UsageScope | undefined> {
    const projectId = job.projectId;
    const id = job.document?.$id;
    const seq = job.document?.$internalId;
    if (!projectId || !id || !seq) throw new Error(`a ${job.type} delete job needs projectId and the document's $id and $internalId`);
    const detached = `${job.type.replace(/s$/, '')}_${seq}`;
    if (job.type === DeleteJobType.Buckets) return { projectId, families: ['buckets', 'files'], path: id, labels: { bucketId: id }, drop: ['bucketId'], detached };
    if (job.type === DeleteJobType.Databases) {
      return { projectId, families: ['collections', 'databases', 'documents'], path: id, labels: { databaseId: id }, drop: ['databaseId', 'collectionId'], detached };
    }
    const databaseSeq = /^database_(\d+)$/.exec(job.document?.collection ?? '')?.[1];
    if (!databaseSeq) throw new Error('a collections delete job needs document.collection = database_<databaseSeq>');
    const database = await this.databases.findByInternalId(projectId, databaseSeq);
    if (!database) return undefined;
    return { projectId, families: ['collections', 'documents'], path: `${database.uid}/${id}`, labels: { databaseId: database.uid, collectionId: id }, drop: ['collectionId'], detached };
  }

  /** Moves the resource's points to a detached series (hourly sums), then deletes them; resolves how many sums were written. */
  private async detachPoints(database: string, scope: UsageScope): Promise<number> {
    const now = Date.now();
    // Everything InfluxDB may still hold (retention plus the shard group being dropped), and clock skew ahead.
    const since = now - (USAGE_POINTS_RETENTION_DAYS + 2) * 86400_000;
    const where = [`"project" = ${quoteString(scope.projectId)}`, ...Object.entries(scope.labels).map(([tag, value]) => `${quoteIdentifier(tag)} = ${quoteString(value)}`)].join(' AND ');
    const series = await this.influx.query(
      database,
      `SELECT sum(value) AS value FROM ${quoteIdentifier(USAGE_MEASUREMENT)} WHERE ${where} AND time >= ${since}ms AND time < ${now + 86400_000}ms GROUP BY time(1h), * fill(none)`,
    );
    const moved = new Map<string, InfluxPoint>();
    for (const { tags = {}, values } of series) {
      const kept: Record<string, string> = {};
      for (const [tag, value] of Object.entries(tags)) if (value !== '' && !scope.drop.includes(tag)) kept[tag] = value;
      kept[DETACHED_TAG] = scope.detached;
      for (const [time, value] of values) {
        const key = `${JSON.stringify(Object.entries(kept).sort())}\u0000${time}`;
        const point = moved.get(key) ?? { measurement: USAGE_MEASUREMENT, tags: kept, value: 0, time: BigInt(Number(time)) * 1_000_000n };
        point.value += Number(value ?? 0);
        moved.set(key, point);
      }
    }
    await this.influx.write(database, [...moved.values()]);
    await this.influx.exec(database, `DELETE FROM ${quoteIdentifier(USAGE_MEASUREMENT)} WHERE ${where}`);
    return moved.size;
  }
}
