import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
