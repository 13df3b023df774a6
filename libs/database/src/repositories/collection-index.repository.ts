import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

import { IndexEntity, SchemaStatus } from '../entities';
import { MAX_LIST_LIMIT, ScopedRepository } from './scoped.repository';

@Injectable()
export class IndexRepository extends ScopedRepository<IndexEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, IndexEntity);
  }

  /** Every index of a collection in creation order. */
  listByCollection(projectId: string, collectionInternalId: string): Promise<IndexEntity[]> {
    return this.list(projectId, { where: { collectionInternalId }, limit: MAX_LIST_LIMIT });
  }

  /** The rows of several collections in one statement (collection lists), grouped by collection internal id. */
  async listByCollections(projectId: string, collectionInternalIds: readonly string[]): Promise<Map<string, IndexEntity[]>> {
    const grouped = new Map<string, IndexEntity[]>(collectionInternalIds.map((id) => [String(id), []]));
    if (collectionInternalIds.length === 0) return grouped;
    const rows = await this.repo.find({ where: this.scoped(projectId, { collectionInternalId: In([...collectionInternalIds]) }), order: { internalId: 'ASC' } });
    for (const row of rows) grouped.get(String(row.collectionInternalId))?.push(row);
    return grouped;
  }

  findByKey(projectId: string, collectionInternalId: string, key: string): Promise<IndexEntity | null> {
    return this.findOne(projectId, { collectionInternalId, key });
  }

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
