import { Injectable } from '@nestjs/common';
import { Authorization, itemReadRoles } from '@appconda/auth';
import { AppException, AuthType, ErrorType, RequestContext, setEventReadRoles } from '@appconda/core';
import { BucketEntity, BucketRepository, FileEntity, FileRepository } from '@appconda/database';

type Action = 'read' | 'create' | 'update' | 'delete';

/** The bucket of a file route and what the caller may do in it (Appwrite 1.3 storage rules). */
export interface BucketAccess {
  bucket: BucketEntity;
  /** The caller holds the bucket-level permission (or skips permission checks). */
  allowed: boolean;
}

/** Who realtime tells about a file's change (1.3: the bucket's readers, plus the file's with fileSecurity). */
export function setFileEventReaders(ctx: RequestContext, bucket: BucketEntity, filePermissions: readonly string[] | null | undefined): void {
  setEventReadRoles(ctx, itemReadRoles(bucket.permissions ?? [], filePermissions ?? [], bucket.fileSecurity));
}

/**
 * Appwrite 1.3's file access rules in one place: a missing bucket, or a disabled one outside admin
 * mode, is 404 storage_bucket_not_found; without the bucket permission and without file security
 * the answer is 401 user_unauthorized; with file security the file's own permissions decide, and a
 * file the caller may not read does not exist for them (404 storage_file_not_found).
 */
@Injectable()
export class FileAccess {
  constructor(
    private readonly buckets: BucketRepository,
    private readonly files: FileRepository,
  ) {}

  async bucket(ctx: RequestContext, bucketId: string, action: Action): Promise<BucketAccess> {
    const bucket = await this.buckets.findByUid(ctx.projectId, bucketId);
    if (!bucket || (!bucket.enabled && ctx.authType !== AuthType.Admin)) throw new AppException(ErrorType.StorageBucketNotFound);
    const allowed = ctx.skipPermissions || Authorization.isAllowed(action, bucket.permissions ?? [], ctx.roles);
    if (!allowed && (action === 'create' || !bucket.fileSecurity)) throw new AppException(ErrorType.UserUnauthorized);
    return { bucket, allowed };
  }

  /** A file the caller may act on; reads hide unreadable files, writes refuse them with 401. */
  async file(ctx: RequestContext, access: BucketAccess, fileId: string, action: Action): Promise<FileEntity> {
    const file = await this.files.findInBucket(ctx.projectId, access.bucket.internalId, fileId);
    if (!file) throw new AppException(ErrorType.StorageFileNotFound);
    if (access.allowed || Authorization.isAllowed(action, file.permissions ?? [], ctx.roles)) return file;
    if (action === 'read') throw new AppException(ErrorType.StorageFileNotFound);
    throw new AppException(ErrorType.UserUnauthorized);
  }

  /** Roles whose `read` permission makes a file visible in a list, or null when every file is. */
  readRoles(ctx: RequestContext, access: BucketAccess): string[] | null {
    return access.allowed ? null : [...ctx.roles];
  }
}
