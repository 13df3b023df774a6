import { Injectable } from '@nestjs/common';
import { DatabaseJobType, QueueName } from '@appconda/contracts';
import { AppException, ErrorType, RequestContext, setEventParam, setEventPayload } from '@appconda/core';
import { AttributeEntity, AttributeRepository, CollectionEntity, CollectionRepository, CollectionTableRepository, Database, DatabaseEntity, schemaRowUid } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';

import { AttributeDraft, assertFits, ownColumn } from './attribute.rules';
import { RelationshipOptions } from './attribute.types';
import { AttributeModel, CreateRelationshipAttributeDto, toAttributeModel } from './attributes.dto';
import { CollectionSchemaService } from './collection-schema.service';
import { DatabasesService } from './databases.service';
import { isDuplicateKey } from './databases.rules';

export interface AttributeList {
  total: number;
  attributes: AttributeModel[];
}

/** The part of an attribute a PATCH may change. */
export type AttributeChange = Partial<Pick<AttributeEntity, 'required' | 'default' | 'formatOptions' | 'size' | 'options'>>;

/**
 * Attributes of a collection (Appwrite 1.3): a create stores the row as `processing` and answers 202;
 * worker-databases adds the column and sets `available` or `failed`. A delete marks `deleting` and the
 * worker drops the column and the row.
 */
@Injectable()
export class AttributesService {
  constructor(
    private readonly attributes: AttributeRepository,
    private readonly collections: CollectionRepository,
    private readonly db: Database,
    private readonly databases: DatabasesService,
    @InjectJobQueue(QueueName.Databases) private readonly jobs: JobQueue<QueueName.Databases>,
    private readonly schema: CollectionSchemaService,
    private readonly tables: CollectionTableRepository,
  ) {}

  /** Creates a non-relationship attribute from a checked draft (see attribute.rules). */
  async create(ctx: RequestContext, databaseId: string, collectionId: string, draft: AttributeDraft): Promise<AttributeModel> {
    const { database, collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    const existing = await this.attributes.listByCollection(ctx.projectId, collection.internalId);
    if (existing.some((attribute) => attribute.key === draft.key)) throw new AppException(ErrorType.AttributeAlreadyExists);
    assertFits(existing, [ownColumn(draft as AttributeEntity)!]);
    await this.assertColumnFree(ctx.projectId, collection, draft.key);
    const row = await this.insert(ctx.projectId, database, collection, draft);
    setEventParam(ctx, 'attributeId', row.uid);
    await this.enqueue(ctx.projectId, database, collection, row, DatabaseJobType.CreateAttribute);
    return toAttributeModel(row);
  }

  /**
   * A relationship: the attribute on this collection (side parent) and, with twoWay, its counterpart on
   * the related collection (side child), both `processing`; one job builds both sides.
   */
  async createRelationship(ctx: RequestContext, databaseId: string, collectionId: string, dto: CreateRelationshipAttributeDto): Promise<AttributeModel> {
    const { database, collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    const related = await this.collections.findInDatabase(ctx.projectId, database.internalId, dto.relatedCollectionId);
    if (!related) throw new AppException(ErrorType.CollectionNotFound);
    const key = dto.key ?? related.uid;
    const twoWayKey = dto.twoWayKey ?? collection.uid;
    const twoWay = dto.twoWay ?? false;
    const options: RelationshipOptions = { relatedCollection: related.uid, relationType: dto.type, twoWay, twoWayKey, onDelete: dto.onDelete ?? 'restrict', side: 'parent' };
    const counterpart: RelationshipOptions = { ...options, relatedCollection: collection.uid, twoWayKey: key, side: 'child' };
    const base = { type: 'relationship' as const, size: 0, required: false, default: null, signed: true, array: false, format: '', formatOptions: {}, filters: [] };
    const parentDraft: AttributeDraft = { ...base, key, options: { ...options } };
    const childDraft: AttributeDraft = { ...base, key: twoWayKey, options: { ...counterpart } };

    const own = await this.attributes.listByCollection(ctx.projectId, collection.internalId);
    const theirs = related.internalId === collection.internalId ? own : await this.attributes.listByCollection(ctx.projectId, related.internalId);
    if (own.some((attribute) => attribute.key === key)) throw new AppException(ErrorType.AttributeAlreadyExists);
    if (theirs.some((attribute) => attribute.key === twoWayKey) || (related.internalId === collection.internalId && key === twoWayKey)) {
      throw new AppException(ErrorType.AttributeAlreadyExists, 'An attribute with the requested two-way key already exists on the related collection.');
    }
    const parentColumn = ownColumn(parentDraft as AttributeEntity);
    const childColumn = ownColumn(childDraft as AttributeEntity);
    assertFits(own, parentColumn ? [parentColumn] : []);
    assertFits(theirs, childColumn ? [childColumn] : []);
    await this.assertColumnFree(ctx.projectId, collection, key);
    await this.assertColumnFree(ctx.projectId, related, twoWayKey);

    const row = await this.db.transaction(async (manager) => {
      const parent = await this.insert(ctx.projectId, database, collection, parentDraft, this.attributes.with(manager));
      if (twoWay) await this.insert(ctx.projectId, database, related, childDraft, this.attributes.with(manager));
      return parent;
    });
    setEventParam(ctx, 'attributeId', row.uid);
    await this.schema.invalidate(ctx.projectId, database.uid, related.uid);
    await this.enqueue(ctx.projectId, database, collection, row, DatabaseJobType.CreateAttribute);
    return toAttributeModel(row);
  }

  async list(ctx: RequestContext, databaseId: string, collectionId: string): Promise<AttributeList> {
    const { collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    const rows = await this.attributes.listByCollection(ctx.projectId, collection.internalId);
    return { total: rows.length, attributes: rows.map(toAttributeModel) };
  }

  async find(ctx: RequestContext, databaseId: string, collectionId: string, key: string): Promise<{ database: DatabaseEntity; collection: CollectionEntity; attribute: AttributeEntity }> {
    const { database, collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    const attribute = await this.attributes.findByKey(ctx.projectId, collection.internalId, key);
    if (!attribute) throw new AppException(ErrorType.AttributeNotFound);
    return { database, collection, attribute };
  }

  async get(ctx: RequestContext, databaseId: string, collectionId: string, key: string): Promise<AttributeModel> {
    return toAttributeModel((await this.find(ctx, databaseId, collectionId, key)).attribute);
  }

  /**
   * 1.3.x PATCH: the attribute must be available and of the same type/format; only required, default
   * and the format options change. A wider enum widens its column at once.
   */
  async update(ctx: RequestContext, databaseId: string, collectionId: string, key: string, expected: { type: string; format: string }, change: (attribute: AttributeEntity) => AttributeChange): Promise<AttributeModel> {
    const { database, collection, attribute } = await this.find(ctx, databaseId, collectionId, key);
    if (attribute.status !== 'available') throw new AppException(ErrorType.AttributeNotAvailable);
    if (attribute.type !== expected.type || (attribute.type === 'string' && attribute.format !== expected.format)) {
      throw new AppException(ErrorType.AttributeTypeInvalid, 'The attribute type must match the route (and format) used to update it.');
    }
    const data = change(attribute);
    if (data.size !== undefined && data.size > attribute.size) {
      const table = await this.schema.tableOf(ctx.projectId, database.internalId, collection.internalId);
      await this.tables.modifyColumn(table, { ...ownColumn(attribute)!, size: data.size });
    }
    const updated = await this.attributes.update(ctx.projectId, attribute.uid, data);
    if (!updated) throw new AppException(ErrorType.AttributeNotFound);
    if (attribute.type === 'relationship' && updated.options.twoWay) await this.syncCounterpart(ctx.projectId, database, updated);
    setEventParam(ctx, 'attributeId', updated.uid);
    await this.schema.invalidate(ctx.projectId, database.uid, collection.uid);
    return toAttributeModel(updated);
  }

  /** Marks the attribute (and a twoWay counterpart) `deleting`; the worker drops the column(s) and rows. */
  async delete(ctx: RequestContext, databaseId: string, collectionId: string, key: string): Promise<void> {
    const { database, collection, attribute } = await this.find(ctx, databaseId, collectionId, key);
    if (attribute.status === 'available') await this.attributes.setStatus(ctx.projectId, attribute.internalId, 'deleting');
    if (attribute.type === 'relationship' && attribute.options.twoWay) {
      const counterpart = await this.counterpart(ctx.projectId, database, attribute);
      if (counterpart?.status === 'available') await this.attributes.setStatus(ctx.projectId, counterpart.internalId, 'deleting');
      if (counterpart) await this.schema.invalidate(ctx.projectId, database.uid, counterpart.collectionId);
    }
    setEventParam(ctx, 'attributeId', attribute.uid);
    setEventPayload(ctx, toAttributeModel(attribute));
    await this.enqueue(ctx.projectId, database, collection, attribute, DatabaseJobType.DeleteAttribute);
  }

  /** The other side of a twoWay relationship, if it still exists. */
  async counterpart(projectId: string, database: DatabaseEntity, attribute: AttributeEntity): Promise<AttributeEntity | null> {
    const related = await this.collections.findInDatabase(projectId, database.internalId, String(attribute.options.relatedCollection));
    return related ? this.attributes.findByKey(projectId, related.internalId, String(attribute.options.twoWayKey)) : null;
  }

  private async syncCounterpart(projectId: string, database: DatabaseEntity, attribute: AttributeEntity): Promise<void> {
    const other = await this.counterpart(projectId, database, attribute);
    if (!other) return;
    await this.attributes.update(projectId, other.uid, { options: { ...other.options, onDelete: attribute.options.onDelete } });
    await this.schema.invalidate(projectId, database.uid, other.collectionId);
  }

  /**
   * A one-way oneToMany keeps its id column on the related table without an attribute row there, so the
   * attribute rows alone do not show every taken name: refuse a key whose column exists (MariaDB column
   * names ignore case), as utopia's own metadata would.
   */
  private async assertColumnFree(projectId: string, collection: CollectionEntity, key: string): Promise<void> {
    const table = await this.schema.tableOf(projectId, collection.databaseInternalId, collection.internalId);
    const taken = (await this.tables.columns(table)).some((column) => column.name.toLowerCase() === key.toLowerCase());
    if (taken) throw new AppException(ErrorType.AttributeAlreadyExists);
  }

  private async insert(projectId: string, database: DatabaseEntity, collection: CollectionEntity, draft: AttributeDraft, repository = this.attributes): Promise<AttributeEntity> {
    try {
      return await repository.create(projectId, {
        ...draft,
        uid: schemaRowUid(database.internalId, collection.internalId, draft.key),
        databaseInternalId: database.internalId,
        databaseId: database.uid,
        collectionInternalId: collection.internalId,
        collectionId: collection.uid,
        status: 'processing',
        error: null,
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppException(ErrorType.AttributeAlreadyExists);
      throw error;
    }
  }

  private async enqueue(projectId: string, database: DatabaseEntity, collection: CollectionEntity, row: AttributeEntity, type: DatabaseJobType): Promise<void> {
    await this.schema.invalidate(projectId, database.uid, collection.uid);
    await this.jobs.add({ type, projectId, databaseId: database.uid, collectionId: collection.uid, document: { $id: row.uid, $internalId: row.internalId, key: row.key } });
  }
}
