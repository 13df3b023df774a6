import { Injectable } from '@nestjs/common';
import { aggregatePermissions, assertValidPermissions, CONTAINER_PERMISSIONS } from '@appconda/auth';
import { AppConfig } from '@appconda/config';
import { DeleteJobType, QueueName } from '@appconda/contracts';
import { AppException, ErrorType, RequestContext, resolveId, setEventParam } from '@appconda/core';
import { BucketEntity, BucketRepository } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';

import { Compression } from './codecs';
import { Bucket, CreateBucketDto, ListQueryDto, toBucketModel, UpdateBucketDto } from './storage.dto';

/** Buckets CRUD (API keys and console admins only, like 1.3). */
@Injectable()
export class BucketsService {
  constructor(
    private readonly buckets: BucketRepository,
    private readonly config: AppConfig,
    @InjectJobQueue(QueueName.Deletes) private readonly deletes: JobQueue<QueueName.Deletes>,
  ) {}

  async list(ctx: RequestContext, dto: ListQueryDto): Promise<{ total: number; buckets: Bucket[] }> {
    const groups = withSearch(validateQueries(parseQueries(dto.queries ?? []), SystemListSchemas.buckets), dto.search);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const cursor = await this.buckets.findByUid(ctx.projectId, groups.cursor.id);
      if (!cursor) throw cursorNotFound(groups.cursor.id);
      cursorRow = { ...toBucketModel(cursor), $internalId: cursor.internalId, $createdAt: cursor.createdAt, $updatedAt: cursor.updatedAt };
    }
    const compiled = compileQueries(groups, { cursorRow, schema: SystemListSchemas.buckets });
    const { rows, total } = await this.buckets.listByQuery(ctx.projectId, compiled);
    return { total, buckets: rows.map(toBucketModel) };
  }

  async create(ctx: RequestContext, dto: CreateBucketDto): Promise<Bucket> {
    const bucketId = resolveId(dto.bucketId);
    const permissions = this.permissions(dto.permissions ?? []);
    const maximumFileSize = this.maximumFileSize(dto.maximumFileSize ?? this.limit);
    if (await this.buckets.findByUid(ctx.projectId, bucketId)) throw new AppException(ErrorType.StorageBucketAlreadyExists);
    setEventParam(ctx, 'bucketId', bucketId);
    try {
      const row = await this.buckets.create(ctx.projectId, {
        uid: bucketId,
        permissions,
        name: dto.name,
        enabled: dto.enabled ?? true,
        fileSecurity: dto.fileSecurity ?? false,
        maximumFileSize,
        allowedFileExtensions: dto.allowedFileExtensions ?? [],
        compression: dto.compression ?? Compression.None,
        encryption: dto.encryption ?? true,
        antivirus: dto.antivirus ?? true,
        search: `${bucketId} ${dto.name}`,
      });
      return toBucketModel(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') throw new AppException(ErrorType.StorageBucketAlreadyExists);
      throw error;
    }
  }

  async get(ctx: RequestContext, bucketId: string): Promise<Bucket> {
    return toBucketModel(await this.find(ctx.projectId, bucketId));
  }

  /** Omitted settings keep the bucket's values, except `fileSecurity`, which 1.3 resets to false. */
  async update(ctx: RequestContext, bucketId: string, dto: UpdateBucketDto): Promise<Bucket> {
    const bucket = await this.find(ctx.projectId, bucketId);
    const permissions = dto.permissions === undefined ? bucket.permissions : this.permissions(dto.permissions);
    const maximumFileSize = dto.maximumFileSize === undefined ? Number(bucket.maximumFileSize) : this.maximumFileSize(dto.maximumFileSize);
    setEventParam(ctx, 'bucketId', bucket.uid);
    const row = await this.buckets.update(ctx.projectId, bucket.uid, {
      permissions,
      name: dto.name,
      fileSecurity: dto.fileSecurity ?? false,
      enabled: dto.enabled ?? bucket.enabled,
      maximumFileSize,
      allowedFileExtensions: dto.allowedFileExtensions ?? bucket.allowedFileExtensions,
      compression: dto.compression ?? bucket.compression,
      encryption: dto.encryption ?? bucket.encryption,
      antivirus: dto.antivirus ?? bucket.antivirus,
      search: `${bucket.uid} ${dto.name}`,
    });
    if (!row) throw new AppException(ErrorType.StorageBucketNotFound);
    return toBucketModel(row);
  }

  /** Removes the bucket row now; its files (rows and bytes) go in the deletes worker (`buckets` job). */
  async delete(ctx: RequestContext, bucketId: string): Promise<void> {
    const bucket = await this.find(ctx.projectId, bucketId);
    setEventParam(ctx, 'bucketId', bucket.uid);
    if (!(await this.buckets.delete(ctx.projectId, bucket.uid))) throw new AppException(ErrorType.StorageBucketNotFound);
    await this.deletes.add({ type: DeleteJobType.Buckets, projectId: ctx.projectId, document: { $id: bucket.uid, $internalId: String(bucket.internalId), collection: 'buckets' } });
  }

  async find(projectId: string, bucketId: string): Promise<BucketEntity> {
    const bucket = await this.buckets.findByUid(projectId, bucketId);
    if (!bucket) throw new AppException(ErrorType.StorageBucketNotFound);
    return bucket;
  }

  private get limit(): number {
    return this.config.get('storage').limit;
  }

  private permissions(permissions: string[]): string[] {
    assertValidPermissions(permissions, { allowed: CONTAINER_PERMISSIONS });
    return aggregatePermissions(permissions, CONTAINER_PERMISSIONS);
  }

  /** 1.3 `Range(1, _APP_STORAGE_LIMIT)`. */
  private maximumFileSize(value: number): number {
    if (!Number.isInteger(value) || value < 1 || value > this.limit) {
      throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid maximumFileSize: Value must be a valid range between 1 and ${this.limit.toLocaleString('en-US')}`);
    }
    return value;
  }
}
