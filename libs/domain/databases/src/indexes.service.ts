import { Injectable } from '@nestjs/common';
import { DatabaseJobType, QueueName } from '@appconda/contracts';
import { AppException, ErrorType, RequestContext, setEventParam, setEventPayload } from '@appconda/core';
import { AttributeRepository, IndexEntity, IndexRepository, schemaRowUid } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';

import { CreateIndexDto, IndexModel, toIndexModel } from './attributes.dto';
import { CollectionSchemaService } from './collection-schema.service';
import { DatabasesService } from './databases.service';
import { isDuplicateKey } from './databases.rules';

export interface IndexList {
  total: number;
  indexes: IndexModel[];
}

/** MariaDB allows 64 indexes per table; a collection table uses 4 (PRIMARY, _uid, _created, _updated). */
export const INDEX_LIMIT = 60;

/** System attributes an index may cover besides the collection's own (1.3 adds them to the candidates). */
const SYSTEM_ATTRIBUTES = new Set(['$id', '$createdAt', '$updatedAt']);

/** Indexes of a collection: stored `processing` (202), built by worker-databases on the real table. */
@Injectable()
export class IndexesService {
  constructor(
    private readonly attributes: AttributeRepository,
    private readonly databases: DatabasesService,
    private readonly indexes: IndexRepository,
    @InjectJobQueue(QueueName.Databases) private readonly jobs: JobQueue<QueueName.Databases>,
    private readonly schema: CollectionSchemaService,
  ) {}

  async create(ctx: RequestContext, databaseId: string, collectionId: string, dto: CreateIndexDto): Promise<IndexModel> {
    const { database, collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    const existing = await this.indexes.listByCollection(ctx.projectId, collection.internalId);
    if (existing.some((index) => index.key === dto.key)) throw new AppException(ErrorType.IndexAlreadyExists);
    if (existing.length >= INDEX_LIMIT) throw new AppException(ErrorType.IndexLimitExceeded);
    const attributes = await this.attributes.listByCollection(ctx.projectId, collection.internalId);
    const lengths: (number | null)[] = [];
    for (const key of dto.attributes) {
      lengths.push(null);
      if (SYSTEM_ATTRIBUTES.has(key)) continue;
      const attribute = attributes.find((candidate) => candidate.key === key);
      if (!attribute) throw new AppException(ErrorType.AttributeUnknown, `Unknown attribute: ${key}`);
      if (attribute.type === 'relationship') throw new AppException(ErrorType.AttributeTypeInvalid, `Cannot create an index for a relationship attribute: ${key}`);
      if (attribute.status !== 'available') throw new AppException(ErrorType.AttributeNotAvailable, `Attribute not available: ${key}`);
    }
    let row: IndexEntity;
    try {
      row = await this.indexes.create(ctx.projectId, {
        uid: schemaRowUid(database.internalId, collection.internalId, dto.key),
        databaseInternalId: database.internalId,
        databaseId: database.uid,
        collectionInternalId: collection.internalId,
        collectionId: collection.uid,
        key: dto.key,
        type: dto.type,
        status: 'processing',
        error: null,
        attributes: dto.attributes,
        lengths,
        orders: dto.orders ?? [],
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppException(ErrorType.IndexAlreadyExists);
      throw error;
    }
    setEventParam(ctx, 'indexId', row.uid);
    await this.schema.invalidate(ctx.projectId, database.uid, collection.uid);
    await this.jobs.add({ type: DatabaseJobType.CreateIndex, projectId: ctx.projectId, databaseId: database.uid, collectionId: collection.uid, document: { $id: row.uid, $internalId: row.internalId, key: row.key } });
    return toIndexModel(row);
  }

  async list(ctx: RequestContext, databaseId: string, collectionId: string): Promise<IndexList> {
    const { collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    const rows = await this.indexes.listByCollection(ctx.projectId, collection.internalId);
    return { total: rows.length, indexes: rows.map(toIndexModel) };
  }

  async get(ctx: RequestContext, databaseId: string, collectionId: string, key: string): Promise<IndexModel> {
    const { collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    const index = await this.indexes.findByKey(ctx.projectId, collection.internalId, key);
    if (!index) throw new AppException(ErrorType.IndexNotFound);
    return toIndexModel(index);
  }

  /** Marks the index `deleting`; the worker drops it from the table and removes the row. */
  async delete(ctx: RequestContext, databaseId: string, collectionId: string, key: string): Promise<void> {
    const { database, collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    const index = await this.indexes.findByKey(ctx.projectId, collection.internalId, key);
    if (!index) throw new AppException(ErrorType.IndexNotFound);
    if (index.status === 'available') await this.indexes.setStatus(ctx.projectId, index.internalId, 'deleting');
    setEventParam(ctx, 'indexId', index.uid);
    setEventPayload(ctx, toIndexModel(index));
    await this.schema.invalidate(ctx.projectId, database.uid, collection.uid);
    await this.jobs.add({ type: DatabaseJobType.DeleteIndex, projectId: ctx.projectId, databaseId: database.uid, collectionId: collection.uid, document: { $id: index.uid, $internalId: index.internalId, key: index.key } });
  }
}
