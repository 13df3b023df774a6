import { Injectable } from '@nestjs/common';
import { DeleteJobType, QueueName } from '@appconda/contracts';
import { aggregatePermissions, assertValidPermissions, CONTAINER_PERMISSIONS } from '@appconda/auth';
import { AppException, ErrorType, RequestContext, resolveId, setEventParam, setEventPayload } from '@appconda/core';
import { AttributeRepository, CollectionEntity, CollectionRepository, CollectionTableRepository, DatabaseEntity, DatabaseRepository, IndexRepository, MAX_LIST_LIMIT } from '@appconda/database';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';
import { InjectJobQueue, JobQueue } from '@appconda/queue';

import { CollectionSchemaService } from './collection-schema.service';
import { CollectionModel, CreateCollectionDto, CreateDatabaseDto, DatabaseModel, ListDto, toCollectionModel, toDatabaseModel, UpdateCollectionDto } from './databases.dto';
import { isDuplicateKey, searchText } from './databases.rules';

export interface DatabaseList {
  total: number;
  databases: DatabaseModel[];
}

export interface CollectionList {
  total: number;
  collections: CollectionModel[];
}

/** Databases and collections of a project (Appwrite 1.3 `/v1/databases`, `/v1/databases/:id/collections`). */
@Injectable()
export class DatabasesService {
  constructor(
    private readonly attributes: AttributeRepository,
    private readonly collections: CollectionRepository,
    private readonly databases: DatabaseRepository,
    @InjectJobQueue(QueueName.Deletes) private readonly deletes: JobQueue<QueueName.Deletes>,
    private readonly indexes: IndexRepository,
    private readonly schema: CollectionSchemaService,
    private readonly tables: CollectionTableRepository,
  ) {}

  async createDatabase(ctx: RequestContext, dto: CreateDatabaseDto): Promise<DatabaseModel> {
    const uid = resolveId(dto.databaseId);
    setEventParam(ctx, 'databaseId', uid);
    try {
      return toDatabaseModel(await this.databases.create(ctx.projectId, { uid, name: dto.name, enabled: true, search: searchText(uid, dto.name) }));
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppException(ErrorType.DatabaseAlreadyExists);
      throw error;
    }
  }

  async listDatabases(ctx: RequestContext, dto: ListDto): Promise<DatabaseList> {
    const schema = SystemListSchemas.databases;
    const groups = withSearch(validateQueries(parseQueries(dto.queries ?? []), schema), dto.search);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const row = await this.databases.findByUid(ctx.projectId, groups.cursor.id);
      if (!row) throw cursorNotFound(groups.cursor.id);
      cursorRow = { $id: row.uid, $internalId: row.internalId, $createdAt: row.createdAt, $updatedAt: row.updatedAt, name: row.name };
    }
    const page = await this.databases.listByQuery(ctx.projectId, compileQueries(groups, { cursorRow, schema }));
    return { total: page.total, databases: page.rows.map(toDatabaseModel) };
  }

  async findDatabase(ctx: RequestContext, databaseId: string): Promise<DatabaseEntity> {
    const database = await this.databases.findByUid(ctx.projectId, databaseId);
    if (!database) throw new AppException(ErrorType.DatabaseNotFound);
    return database;
  }

  async getDatabase(ctx: RequestContext, databaseId: string): Promise<DatabaseModel> {
    return toDatabaseModel(await this.findDatabase(ctx, databaseId));
  }

  async updateDatabase(ctx: RequestContext, databaseId: string, name: string): Promise<DatabaseModel> {
    const database = await this.findDatabase(ctx, databaseId);
    const updated = await this.databases.update(ctx.projectId, database.uid, { name, search: searchText(database.uid, name) });
    if (!updated) throw new AppException(ErrorType.DatabaseNotFound);
    return toDatabaseModel(updated);
  }

  /** Removes the database row at once; the deletes worker drops its collections' tables and metadata. */
  async deleteDatabase(ctx: RequestContext, databaseId: string): Promise<void> {
    const database = await this.findDatabase(ctx, databaseId);
    if (!(await this.databases.delete(ctx.projectId, database.uid))) throw new AppException(ErrorType.DatabaseNotFound);
    setEventPayload(ctx, toDatabaseModel(database));
    // Cached schemas of its collections must stop resolving now, not when the worker gets to them.
    const collections = await this.collections.list(ctx.projectId, { where: { databaseInternalId: database.internalId }, limit: MAX_LIST_LIMIT });
    for (const collection of collections) await this.schema.invalidate(ctx.projectId, database.uid, collection.uid);
    await this.deletes.add({ type: DeleteJobType.Databases, projectId: ctx.projectId, document: { $id: database.uid, $internalId: database.internalId, collection: 'databases' } });
  }

  /** Creates the collection row and its real table (and perms table) before answering, as 1.3 does. */
  async createCollection(ctx: RequestContext, databaseId: string, dto: CreateCollectionDto): Promise<CollectionModel> {
    const database = await this.findDatabase(ctx, databaseId);
    const permissions = this.permissions(dto.permissions ?? []);
    const uid = resolveId(dto.collectionId);
    setEventParam(ctx, 'databaseId', database.uid);
    setEventParam(ctx, 'collectionId', uid);
    let collection: CollectionEntity;
    try {
      collection = await this.collections.create(ctx.projectId, {
        uid,
        permissions,
        databaseInternalId: database.internalId,
        databaseId: database.uid,
        name: dto.name,
        enabled: true,
        documentSecurity: dto.documentSecurity ?? false,
        search: searchText(uid, dto.name),
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppException(ErrorType.CollectionAlreadyExists);
      throw error;
    }
    try {
      await this.tables.createTables(await this.schema.tableOf(ctx.projectId, database.internalId, collection.internalId));
    } catch (error) {
      await this.collections.deleteByInternalId(ctx.projectId, collection.internalId);
      throw error;
    }
    await this.schema.invalidate(ctx.projectId, database.uid, uid);
    return toCollectionModel(collection, [], []);
  }

  async listCollections(ctx: RequestContext, databaseId: string, dto: ListDto): Promise<CollectionList> {
    const database = await this.findDatabase(ctx, databaseId);
    const schema = SystemListSchemas.collections;
    const groups = withSearch(validateQueries(parseQueries(dto.queries ?? []), schema), dto.search);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const row = await this.collections.findInDatabase(ctx.projectId, database.internalId, groups.cursor.id);
      if (!row) throw cursorNotFound(groups.cursor.id);
      cursorRow = { $id: row.uid, $internalId: row.internalId, $createdAt: row.createdAt, $updatedAt: row.updatedAt, name: row.name, enabled: row.enabled, documentSecurity: row.documentSecurity };
    }
    const page = await this.collections.listByQuery(ctx.projectId, compileQueries(groups, { cursorRow, schema }), { where: { databaseInternalId: database.internalId } });
    // Two statements for the whole page's attributes and indexes, not two per collection.
    const ids = page.rows.map((row) => row.internalId);
    const [attributes, indexes] = await Promise.all([this.attributes.listByCollections(ctx.projectId, ids), this.indexes.listByCollections(ctx.projectId, ids)]);
    const collections = page.rows.map((row) => toCollectionModel(row, attributes.get(String(row.internalId)) ?? [], indexes.get(String(row.internalId)) ?? []));
    return { total: page.total, collections };
  }

  async findCollection(ctx: RequestContext, databaseId: string, collectionId: string): Promise<{ database: DatabaseEntity; collection: CollectionEntity }> {
    const database = await this.findDatabase(ctx, databaseId);
    const collection = await this.collections.findInDatabase(ctx.projectId, database.internalId, collectionId);
    if (!collection) throw new AppException(ErrorType.CollectionNotFound);
    return { database, collection };
  }

  async getCollection(ctx: RequestContext, databaseId: string, collectionId: string): Promise<CollectionModel> {
    const { collection } = await this.findCollection(ctx, databaseId, collectionId);
    return this.withSchema(ctx.projectId, collection);
  }

  /** 1.3 semantics: omitted permissions are kept, omitted documentSecurity becomes false and enabled true. */
  async updateCollection(ctx: RequestContext, databaseId: string, collectionId: string, dto: UpdateCollectionDto): Promise<CollectionModel> {
    const { database, collection } = await this.findCollection(ctx, databaseId, collectionId);
    const permissions = dto.permissions === undefined || dto.permissions === null ? collection.permissions : this.permissions(dto.permissions);
    const updated = await this.collections.updateByInternalId(ctx.projectId, collection.internalId, {
      name: dto.name,
      permissions,
      documentSecurity: dto.documentSecurity ?? false,
      enabled: dto.enabled ?? true,
      search: searchText(collection.uid, dto.name),
    });
    if (!updated) throw new AppException(ErrorType.CollectionNotFound);
    await this.schema.invalidate(ctx.projectId, database.uid, collection.uid);
    return this.withSchema(ctx.projectId, updated);
  }

  /** Removes the collection row at once; the deletes worker drops its tables, attributes and indexes. */
  async deleteCollection(ctx: RequestContext, databaseId: string, collectionId: string): Promise<void> {
    const { database, collection } = await this.findCollection(ctx, databaseId, collectionId);
    const model = await this.withSchema(ctx.projectId, collection);
    if (!(await this.collections.deleteByInternalId(ctx.projectId, collection.internalId))) throw new AppException(ErrorType.CollectionNotFound);
    setEventPayload(ctx, model);
    await this.schema.invalidate(ctx.projectId, database.uid, collection.uid);
    await this.deletes.add({
      type: DeleteJobType.Collections,
      projectId: ctx.projectId,
      document: { $id: collection.uid, $internalId: collection.internalId, collection: `database_${database.internalId}` },
    });
  }

  private permissions(input: unknown): string[] {
    assertValidPermissions(input, { allowed: CONTAINER_PERMISSIONS });
    return aggregatePermissions(input, CONTAINER_PERMISSIONS);
  }

  private async withSchema(projectId: string, collection: CollectionEntity): Promise<CollectionModel> {
    const [attributes, indexes] = await Promise.all([this.attributes.listByCollection(projectId, collection.internalId), this.indexes.listByCollection(projectId, collection.internalId)]);
    return toCollectionModel(collection, attributes, indexes);
  }
}
