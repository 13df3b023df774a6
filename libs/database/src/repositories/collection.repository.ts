import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CollectionEntity } from '../entities';
import { RowData, ScopedRepository } from './scoped.repository';

/**
 * Collections are unique per database, so look-ups go through the database's internal id; the inherited
 * uid-based `findByUid`/`update`/`delete` are ambiguous across databases and should not be used here.
 */
@Injectable()
export class CollectionRepository extends ScopedRepository<CollectionEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, CollectionEntity);
  }

  findInDatabase(projectId: string, databaseInternalId: string, uid: string): Promise<CollectionEntity | null> {
    return this.findOne(projectId, { databaseInternalId, uid });
  }

  /** Updates one collection by internal id; returns it as stored, or null when gone. */
  async updateByInternalId(projectId: string, internalId: string, data: RowData<CollectionEntity> & { permissions?: string[] }): Promise<CollectionEntity | null> {
    const result = await this.repo.update(this.scoped(projectId, { internalId }), { ...data, updatedAt: new Date() } as never);
    if (!result.affected) return null;
    return this.findByInternalId(projectId, internalId);
  }

  async deleteByInternalId(projectId: string, internalId: string): Promise<boolean> {
    return (await this.deleteWhere(projectId, { internalId })) > 0;
  }
}
