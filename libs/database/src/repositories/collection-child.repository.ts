import { In } from 'typeorm';

import { SchemaStatus, ScopedEntity } from '../entities';
import { MAX_LIST_LIMIT, ScopedRepository, ScopedWhere } from './scoped.repository';

/** The columns attribute and index rows share: their collection, key and build status. */
export interface CollectionChildEntity extends ScopedEntity {
  databaseInternalId: string;
  collectionInternalId: string;
  key: string;
  status: SchemaStatus;
  error: string | null;
}

/** `_uid` of an attribute or index row, as Appwrite 1.3 ids them. */
export function schemaRowUid(databaseInternalId: string, collectionInternalId: string, key: string): string {
  return `${databaseInternalId}_${collectionInternalId}_${key}`;
}

/** Queries over the rows that belong to a collection's schema (attributes, indexes), built by worker-databases. */
export abstract class CollectionChildRepository<E extends CollectionChildEntity> extends ScopedRepository<E> {
  /** Every row of a collection in creation order (a collection has at most ~1,010 attributes). */
  listByCollection(projectId: string, collectionInternalId: string): Promise<E[]> {
    return this.list(projectId, { where: { collectionInternalId } as ScopedWhere<E>, limit: MAX_LIST_LIMIT });
  }

  /** The rows of several collections in one statement (collection lists), grouped by collection internal id. */
  async listByCollections(projectId: string, collectionInternalIds: readonly string[]): Promise<Map<string, E[]>> {
    const grouped = new Map<string, E[]>(collectionInternalIds.map((id) => [String(id), []]));
    if (collectionInternalIds.length === 0) return grouped;
    const rows = await this.repo.find({
      where: this.scoped(projectId, { collectionInternalId: In([...collectionInternalIds]) } as ScopedWhere<E>),
      order: { internalId: 'ASC' } as never,
    });
    for (const row of rows) grouped.get(String(row.collectionInternalId))?.push(row);
    return grouped;
  }

  findByKey(projectId: string, collectionInternalId: string, key: string): Promise<E | null> {
    return this.findOne(projectId, { collectionInternalId, key } as ScopedWhere<E>);
  }

  /** Moves a row to a new status (and records or clears the failure reason). */
  async setStatus(projectId: string, internalId: string, status: SchemaStatus, error: string | null = null): Promise<void> {
    await this.repo.update(this.scoped(projectId, { internalId } as ScopedWhere<E>), { status, error, updatedAt: new Date() } as never);
  }

  deleteByCollection(projectId: string, collectionInternalId: string): Promise<number> {
    return this.deleteWhere(projectId, { collectionInternalId } as ScopedWhere<E>);
  }

  deleteByDatabase(projectId: string, databaseInternalId: string): Promise<number> {
    return this.deleteWhere(projectId, { databaseInternalId } as ScopedWhere<E>);
  }
}
