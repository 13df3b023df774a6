import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const logger = serviceLogger('api');

/** Path segments come from stored ids; anything else never reaches the file system. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Rendered previews on the cache volume (`<_APP_STORAGE_ROOT>/cache`), in Appwrite 1.3's layout:
 * `app-<projectId>/<bucketId>/<fileId>/<key>`. Entries are immutable (the key covers everything
 * the bytes depend on), written atomically, and swept by age like the rest of the cache volume.
 */
@Injectable()
export class PreviewCache {
  private readonly root: string;

  constructor(config: AppConfig) {
    this.root = config.get('storage').paths.cache;
  }

  /** The folder holding every cached preview of one file. */
  folder(projectId: string, bucketId: string, fileId: string): string {
    for (const segment of [projectId, bucketId, fileId]) {
      if (!SEGMENT.test(segment)) throw new Error(`Unsafe preview cache path segment: ${segment}`);
    }
    return join(this.root, `app-${projectId}`, bucketId, fileId);
  }

  async read(folder: string, name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(folder, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ err: error, folder }, 'preview cache read failed');
      return undefined;
    }
  }

  /** Best effort: a preview that cannot be cached is still served. */
  async write(folder: string, name: string, data: Buffer): Promise<void> {
    const temporary = join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(temporary, data);
      await rename(temporary, join(folder, name));
    } catch (error) {
      logger.warn({ err: error, folder }, 'preview cache write failed');
      await rm(temporary, { force: true });
    }
  }

  /** Drops every cached preview of a file (for callers that delete files). */
  async forget(projectId: string, bucketId: string, fileId: string): Promise<void> {
    await rm(this.folder(projectId, bucketId, fileId), { recursive: true, force: true });
  }
}
