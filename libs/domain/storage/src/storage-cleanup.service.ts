import { Injectable } from '@nestjs/common';
import { serviceLogger } from '@appconda/core';
import { BucketRepository, FileRepository } from '@appconda/database';

import { StorageDevice } from './devices/device';
import { FilesService } from './files.service';
import { InjectUploadsDevice } from './storage.tokens';
import { bucketFolder, projectFolder } from './upload.paths';

const logger = serviceLogger('storage');

/** How long an unfinished chunked upload is kept before the sweep removes it (1.3 has no resume window; a day is generous). */
export const STALE_UPLOAD_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Cleanup the workers call so no bytes outlive their records:
 * - `deleteBucketFiles` for the deletes worker's `buckets` job (the bucket row is already gone);
 * - `deleteProjectStorage` for the deletes worker's `projects` job (every bucket, file and byte);
 * - `sweepStaleUploads` for maintenance: chunked uploads abandoned half-way (rows and chunks).
 */
@Injectable()
export class StorageCleanupService {
  constructor(
    private readonly buckets: BucketRepository,
    @InjectUploadsDevice() private readonly device: StorageDevice,
    private readonly files: FileRepository,
    private readonly filesService: FilesService,
  ) {}

  /** Deletes every file of a deleted bucket (bytes, chunks, rows), page by page; returns how many. */
  async deleteBucketFiles(projectId: string, bucketInternalId: string): Promise<number> {
    let removed = 0;
    for (;;) {
      const page = await this.files.pageOfBucket(projectId, bucketInternalId, 100);
      if (page.length === 0) break;
      for (const file of page) {
        await this.filesService.removeBytes(file);
        await this.files.deleteInBucket(projectId, bucketInternalId, file.uid);
        removed++;
      }
    }
    await this.device.deleteDirectory(bucketFolder(projectId, bucketInternalId));
    return removed;
  }

  /** Removes all of a project's storage: the device folder, then the file and bucket rows. */
  async deleteProjectStorage(projectId: string): Promise<void> {
    await this.device.deleteDirectory(projectFolder(projectId));
    await this.files.deleteAll(projectId);
    await this.buckets.deleteAll(projectId);
  }

  /** Removes a project's chunked uploads untouched for `maxAgeMs`; returns how many. */
  async sweepStaleUploads(projectId: string, maxAgeMs = STALE_UPLOAD_AGE_MS, now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - maxAgeMs);
    let removed = 0;
    for (;;) {
      const stale = await this.files.listStaleUploads(projectId, before, 100);
      if (stale.length === 0) break;
      for (const file of stale) {
        await this.filesService.removeBytes(file);
        await this.files.deleteInBucket(projectId, file.bucketInternalId, file.uid);
        removed++;
      }
    }
    if (removed) logger.info({ projectId, removed }, 'removed abandoned chunked uploads');
    return removed;
  }
}
