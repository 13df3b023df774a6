import { readdir, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { HandlesJob, JobHandler } from '@appconda/queue';
import { StorageCleanupService } from '@appconda/storage';

import { cutoffOf } from './project-ids';

const logger = serviceLogger('worker-deletes');

/**
 * `cacheByTimeStamp` (`_APP_MAINTENANCE_RETENTION_CACHE`). Appwrite 1.3 purges, project by project,
 * cached files not used since the cut-off. Here:
 * - without `projectId`: every file of the cache volume (`storage.paths.cache`) last modified before
 *   the cut-off, and the directories that become empty;
 * - with `projectId`: that project's temporary upload bytes, i.e. chunked uploads abandoned before
 *   the cut-off (storage's `sweepStaleUploads`). The contract has no dedicated type for it yet, and this
 *   is the same kind of work: temporary bytes that outlived their use.
 * Idempotent: a retry finds only what is still older than the cut-off.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.CacheByTimestamp)
export class CacheRetentionHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    private readonly cleanup: StorageCleanupService,
    private readonly config: AppConfig,
  ) {}

  async handle(job: DeleteJob): Promise<{ files?: number; uploads?: number }> {
    const cutoff = cutoffOf(job);
    if (job.projectId) {
      const uploads = await this.cleanup.sweepStaleUploads(job.projectId, 0, cutoff);
      logger.info({ event: 'stale_uploads_swept', projectId: job.projectId, cutoff: cutoff.toISOString(), uploads }, `removed ${uploads} abandoned uploads`);
      return { uploads };
    }
    const files = await purgeOlder(this.config.get('storage').paths.cache, cutoff.getTime(), true);
    logger.info({ event: 'cache_retention', cutoff: cutoff.toISOString(), files }, `removed ${files} cached files`);
    return { files };
  }
}

/** Deletes files modified before `cutoffMs` under `dir` (recursively) and the sub-directories left empty. */
async function purgeOlder(dir: string, cutoffMs: number, root: boolean): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      removed += await purgeOlder(path, cutoffMs, false);
    } else if (entry.isFile()) {
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < cutoffMs) {
        if (await unlink(path).then(() => true, ignoreMissing)) removed++;
      }
    }
  }
  // ENOTEMPTY just means something newer is still cached there (or arrived meanwhile).
  if (!root) await rmdir(dir).catch(() => undefined);
  return removed;
}

/** A file another sweep removed first is not an error (and not counted). */
function ignoreMissing(error: NodeJS.ErrnoException): false {
  if (error.code !== 'ENOENT') throw error;
  return false;
}
