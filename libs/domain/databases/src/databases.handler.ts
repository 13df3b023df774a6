import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { buildEvents, DatabaseJob, DatabaseJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { AttributeEntity, AttributeRepository, AttributeSpec, CollectionRepository, CollectionTableRepository, IndexRepository, IndexSpec } from '@appconda/database';
import { JobHandler } from '@appconda/queue';
import { EventBus } from '@appconda/transport';

import { ownColumn } from './attribute.rules';
import { RelationshipOptions } from './attribute.types';
import { CollectionSchemaService } from './collection-schema.service';
import { toCollectionModel } from './databases.dto';
import { isStatementError, statementErrorText } from './databases.rules';
import { DatabasesTeardownService } from './databases-teardown.service';
import { SchemaDdlService } from './schema-ddl.service';

const logger = serviceLogger('worker-databases');

/**
 * worker-databases: builds and drops attribute columns and indexes on the real collection tables.
 * A statement MariaDB refuses (row too large, duplicates under a new unique index …) marks the row
 * `failed` with MariaDB's text in `error`; connection-level errors are rethrown so Bull retries. Every
 * step is idempotent, and a job whose row is gone or already settled completes without work.
 */
@Injectable()
export class DatabasesJobHandler implements JobHandler<QueueName.Databases> {
  constructor(
    private readonly attributes: AttributeRepository,
    private readonly collections: CollectionRepository,
    private readonly ddl: SchemaDdlService,
    private readonly indexes: IndexRepository,
    private readonly schema: CollectionSchemaService,
    private readonly tables: CollectionTableRepository,
    private readonly teardown: DatabasesTeardownService,
    @Optional() private readonly events?: EventBus,
  ) {}

  async handle(job: DatabaseJob): Promise<string> {
    const internalId = job.document?.$internalId;
    switch (job.type) {
      case DatabaseJobType.CreateAttribute:
        return internalId ? this.createAttribute(job, internalId) : 'skipped';
      case DatabaseJobType.DeleteAttribute:
        return internalId ? this.deleteAttribute(job, internalId) : 'skipped';
      case DatabaseJobType.CreateIndex:
        return internalId ? this.createIndex(job, internalId) : 'skipped';
      case DatabaseJobType.DeleteIndex:
        return internalId ? this.deleteIndex(job, internalId) : 'skipped';
      case DatabaseJobType.DeleteDatabase:
        if (!internalId) return 'skipped';
        await this.teardown.deleteDatabase(job.projectId, internalId);
        return 'deleted';
      default:
        // Collections are torn down by the deletes queue (DeleteJobType.Collections), which carries the database sequence.
        throw new Error(`${job.type} jobs are handled by the deletes queue`);
    }
  }

  private async createAttribute(job: DatabaseJob, internalId: string): Promise<string> {
    const attribute = await this.attributes.findByInternalId(job.projectId, internalId);
    if (!attribute || attribute.status !== 'processing') return 'skipped';
    const counterpart = attribute.type === 'relationship' ? await this.counterpart(attribute) : null;
    try {
      if (attribute.type === 'relationship') {
        const sides = await this.ddl.sides(attribute);
        if (!sides) throw Object.assign(new Error('The related collection no longer exists.'), { permanent: true });
        await this.ddl.addRelationship(sides);
      } else {
        await this.tables.addColumn(await this.tableOf(attribute), ownColumn(attribute) as AttributeSpec);
      }
    } catch (error) {
      if (!isStatementError(error) && !(error as { permanent?: boolean }).permanent) throw error;
      logger.warn({ event: 'attribute_failed', projectId: job.projectId, attribute: attribute.uid, err: error }, 'attribute column could not be created');
      await this.settle(attribute, counterpart, 'failed', statementErrorText(error));
      await this.notify(attribute, 'attributes');
      return 'failed';
    }
    await this.settle(attribute, counterpart, 'available', null);
    await this.notify(attribute, 'attributes');
    return 'available';
  }

  private async deleteAttribute(job: DatabaseJob, internalId: string): Promise<string> {
    const attribute = await this.attributes.findByInternalId(job.projectId, internalId);
    if (!attribute) return 'skipped';
    if (attribute.type === 'relationship') await this.ddl.dropRelationship(attribute);
    else await this.tables.dropColumn(await this.tableOf(attribute), attribute.key);
    // MariaDB removed the column from its indexes (and dropped those left empty): mirror that in the rows.
    for (const index of await this.indexes.listByCollection(job.projectId, attribute.collectionInternalId)) {
      const keep = index.attributes.map((key, i) => ({ key, i })).filter(({ key }) => key !== attribute.key);
      if (keep.length === index.attributes.length) continue;
      if (keep.length === 0) await this.indexes.deleteWhere(job.projectId, { internalId: index.internalId });
      else await this.indexes.update(job.projectId, index.uid, { attributes: keep.map(({ key }) => key), orders: keep.map(({ i }) => index.orders[i] ?? null), lengths: keep.map(({ i }) => index.lengths[i] ?? null) });
    }
    await this.attributes.deleteWhere(job.projectId, { internalId: attribute.internalId });
    await this.schema.invalidate(job.projectId, attribute.databaseId, attribute.collectionId);
    await this.notify(attribute, 'attributes');
    return 'deleted';
  }

  private async createIndex(job: DatabaseJob, internalId: string): Promise<string> {
    const index = await this.indexes.findByInternalId(job.projectId, internalId);
    if (!index || index.status !== 'processing') return 'skipped';
    const columns = (await this.attributes.listByCollection(job.projectId, index.collectionInternalId)).filter((attribute) => attribute.status === 'available' && attribute.type !== 'relationship').map((attribute) => ownColumn(attribute) as AttributeSpec);
    const spec: IndexSpec = { key: index.key, type: index.type as IndexSpec['type'], attributes: index.attributes, orders: index.orders as IndexSpec['orders'] };
    let status: 'available' | 'failed' = 'available';
    let reason: string | null = null;
    try {
      await this.tables.createIndex(await this.schema.tableOf(job.projectId, index.databaseInternalId, index.collectionInternalId), spec, columns);
    } catch (error) {
      // The builder refuses shapes MariaDB cannot index (arrays, fulltext on non-strings); MariaDB refuses duplicates.
      const refused = isStatementError(error) || (error instanceof Error && !('errno' in error) && !('code' in error));
      if (!refused) throw error;
      status = 'failed';
      reason = statementErrorText(error);
      logger.warn({ event: 'index_failed', projectId: job.projectId, index: index.uid, reason }, 'index could not be created');
    }
    await this.indexes.setStatus(job.projectId, index.internalId, status, reason);
    await this.schema.invalidate(job.projectId, index.databaseId, index.collectionId);
    await this.notify(index, 'indexes');
    return status;
  }

  private async deleteIndex(job: DatabaseJob, internalId: string): Promise<string> {
    const index = await this.indexes.findByInternalId(job.projectId, internalId);
    if (!index) return 'skipped';
    await this.tables.dropIndex(await this.schema.tableOf(job.projectId, index.databaseInternalId, index.collectionInternalId), index.key);
    await this.indexes.deleteWhere(job.projectId, { internalId: index.internalId });
    await this.schema.invalidate(job.projectId, index.databaseId, index.collectionId);
    await this.notify(index, 'indexes');
    return 'deleted';
  }

  private async counterpart(attribute: AttributeEntity): Promise<AttributeEntity | null> {
    const options = attribute.options as unknown as RelationshipOptions;
    if (!options.twoWay || options.side !== 'parent') return null;
    const sides = await this.ddl.sides(attribute);
    return sides ? this.attributes.findByKey(attribute.project, sides.child.seq, options.twoWayKey) : null;
  }

  private async settle(attribute: AttributeEntity, counterpart: AttributeEntity | null, status: 'available' | 'failed', error: string | null): Promise<void> {
    for (const row of [attribute, counterpart]) {
      if (!row) continue;
      await this.attributes.setStatus(row.project, row.internalId, status, error);
      await this.schema.invalidate(row.project, row.databaseId, row.collectionId);
    }
  }

  /**
   * As 1.3's databases worker: after a status change, the console hears
   * `databases.[databaseId].collections.[collectionId].<attributes|indexes>.[id].update` with the
   * collection as it now stands (realtime only, so it goes to the `console` project).
   */
  private async notify(row: { project: string; uid: string; databaseId: string; collectionId: string; collectionInternalId: string }, kind: 'attributes' | 'indexes'): Promise<void> {
    if (!this.events) return;
    try {
      const collection = await this.collections.findByInternalId(row.project, row.collectionInternalId);
      if (!collection) return;
      const [attributes, indexes] = await Promise.all([this.attributes.listByCollection(row.project, collection.internalId), this.indexes.listByCollection(row.project, collection.internalId)]);
      const id = kind === 'attributes' ? 'attributeId' : 'indexId';
      const events = buildEvents(`databases.[databaseId].collections.[collectionId].${kind}.[${id}].update`, { databaseId: row.databaseId, collectionId: row.collectionId, [id]: row.uid });
      this.events.publish({ id: randomUUID(), projectId: 'console', subjectProjectId: row.project, events, payload: toCollectionModel(collection, attributes, indexes), time: new Date().toISOString() });
    } catch (error) {
      logger.warn({ event: 'schema_event_failed', err: error }, 'could not publish the schema change event');
    }
  }

  private tableOf(attribute: AttributeEntity): Promise<string> {
    return this.schema.tableOf(attribute.project, attribute.databaseInternalId, attribute.collectionInternalId);
  }
}
