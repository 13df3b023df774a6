import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, Raw } from 'typeorm';

import { FileEntity } from '../entities/file.entity';
import { assertProjectId, CompiledListQuery, readableCondition, RowData, ScopedRepository, withCondition } from './scoped.repository';

/**
 * Files of every bucket in one table. A file `$id` is unique per bucket, so lookups, updates and
 * deletes by `$id` always name the bucket too (`…InBucket`); the inherited by-`$id` helpers are
 * project-wide and should not be used for files.
 */
@Injectable()
export class FileRepository extends ScopedRepository<FileEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, FileEntity);
  }

  async findInBucket(projectId: string, bucketInternalId: string, uid: string): Promise<FileEntity | null> {
    return this.findOne(projectId, { bucketInternalId, uid });
  }

  async updateInBucket(projectId: string, bucketInternalId: string, uid: string, data: RowData<FileEntity> & { permissions?: string[] }): Promise<FileEntity | null> {
    const result = await this.repo.update(this.scoped(projectId, { bucketInternalId, uid }), { ...data, updatedAt: new Date() } as never);
    if (!result.affected) return null;
    return this.findInBucket(projectId, bucketInternalId, uid);
  }

  async deleteInBucket(projectId: string, bucketInternalId: string, uid: string): Promise<boolean> {
    const result = await this.repo.delete(this.scoped(projectId, { bucketInternalId, uid }));
    return (result.affected ?? 0) > 0;
  }

  /** One page of a bucket's files (by `_id`), for the deletes worker removing a bucket. */
  async pageOfBucket(projectId: string, bucketInternalId: string, limit = 100): Promise<FileEntity[]> {
    return this.list(projectId, { where: { bucketInternalId }, limit });
  }

  /** Chunked uploads that stopped before their last chunk and were not touched since `before`. */
  async listStaleUploads(projectId: string, before: Date, limit = 100): Promise<FileEntity[]> {
    return this.repo.find({
      where: this.scoped(projectId, { updatedAt: LessThan(before), chunksUploaded: Raw((column) => `${column} < \`chunksTotal\``) }),
      order: { internalId: 'ASC' },
      take: limit,
    });
  }

  /**
   * A page of a bucket's files matching compiled 1.3 queries, and their total. With `readRoles`
   * (file security on, no bucket-level read) only files whose `$permissions` grant `read` to one of
   * those roles are listed and counted; `null` lists every file of the bucket.
   */
  async listInBucket(projectId: string, bucketInternalId: string, query: CompiledListQuery, readRoles: readonly string[] | null): Promise<{ rows: FileEntity[]; total: number }> {
    assertProjectId(projectId);
    if (readRoles === null) return this.listByQuery(projectId, query, { where: { bucketInternalId } });
    if (readRoles.length === 0) return { rows: [], total: 0 };
    const readable = readableCondition(readRoles);
    return this.listByQuery(projectId, withCondition(query, readable.sql, readable.params, 'last'), { where: { bucketInternalId } });
  }

  /** Number of complete files and their `sizeActual` sum, project-wide or in one bucket. */
  async totals(projectId: string, bucketInternalId?: string): Promise<{ count: number; size: number }> {
    const bucket = bucketInternalId === undefined ? '' : ' AND `bucketInternalId` = ?';
    const rows: { total: string | number; size: string | number | null }[] = await this.repo.query(
      'SELECT COUNT(1) AS total, SUM(`sizeActual`) AS size FROM `files` WHERE `_project` = ? AND `chunksUploaded` >= `chunksTotal`' + bucket,
      [assertProjectId(projectId), ...(bucketInternalId === undefined ? [] : [bucketInternalId])],
    );
    return { count: Number(rows[0]?.total ?? 0), size: Number(rows[0]?.size ?? 0) };
  }
}
