import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

import { AttributeEntity, SchemaStatus } from '../entities';
import { MAX_LIST_LIMIT, ScopedRepository } from './scoped.repository';

/** `_uid` of an attribute or index row, as Appwrite 1.3 ids them. */
export function schemaRowUid(databaseInternalId: string, collectionInternalId: string, key: string): string {
  return `${databaseInternalId}_${collectionInternalId}_${key}`;
}

@Injectable()
export class AttributeRepository extends ScopedRepository<AttributeEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, AttributeEntity);
  }

  /** Every attribute of a collection in creation order (a collection has at most ~1,010). */
  listByCollection(projectId: string, collectionInternalId: string): Promise<AttributeEntity[]> {
    return this.list(projectId, { where: { collectionInternalId }, limit: MAX_LIST_LIMIT });
  }

  /** The rows of several collections in one statement (collection lists), grouped by collection internal id. */
  async listByCollections(projectId: string, collectionInternalIds: readonly string[]): Promise<Map<string, AttributeEntity[]>> {
    const grouped = new Map<string, AttributeEntity[]>(collectionInternalIds.map((id) => [String(id), []]));
    if (collectionInternalIds.length === 0) return grouped;
    const rows = await this.repo.find({ where: this.scoped(projectId, { collectionInternalId: In([...collectionInternalIds]) }), order: { internalId: 'ASC' } });
    for (const row of rows) grouped.get(String(row.collectionInternalId))?.push(row);
    return grouped;
  }

  findByKey(projectId: string, collectionInternalId: string, key: string): Promise<AttributeEntity | null> {
    return this.findOne(projectId, { collectionInternalId, key });
  }

  /** Moves an attribute to a new status (and records or clears the failure reason). */
  async setStatus(projectId: string, internalId: string, status: SchemaStatus, error: string | null = null): Promise<void> {
    await this.repo.update(this.scoped(projectId, { internalId }), { status, error, updatedAt: new Date() } as never);
  }

  deleteByCollection(projectId: string, collectionInternalId: string): Promise<number> {
    return this.deleteWhere(projectId, { collectionInternalId });
  }

  deleteByDatabase(projectId: string, databaseInternalId: string): Promise<number> {
    return this.deleteWhere(projectId, { databaseInternalId });
  }
}
