import { randomBytes } from 'node:crypto';

import { deviceKey } from './devices/device';

/** Folder of all of one project's files on the device (Appwrite's `app-<projectId>`). */
export function projectFolder(projectId: string): string {
  return deviceKey(`app-${projectId}`);
}

/** Folder of one project's bucket on the device. */
export function bucketFolder(projectId: string, bucketInternalId: string | number): string {
  return deviceKey(`app-${projectId}`, `bucket-${bucketInternalId}`);
}

/**
 * Where a finished file is stored: `<fileId>.<upload>.<ext>`. The per-upload suffix keeps two racing
 * uploads of one new `$id` from writing (or cleaning up) the same object; the extension is kept for
 * operators, sanitized.
 */
export function filePath(projectId: string, bucketInternalId: string | number, fileId: string, name: string, upload = randomBytes(4).toString('hex')): string {
  const ext = /\.([A-Za-z0-9]{1,16})$/.exec(name)?.[1]?.toLowerCase();
  return `${bucketFolder(projectId, bucketInternalId)}/${deviceKey(ext ? `${fileId}.${upload}.${ext}` : `${fileId}.${upload}`)}`;
}

/** Folder of the chunks of an upload in progress. */
export function chunkFolder(projectId: string, bucketInternalId: string | number, fileId: string): string {
  return `${bucketFolder(projectId, bucketInternalId)}/${deviceKey('tmp', fileId)}`;
}

export function chunkPath(projectId: string, bucketInternalId: string | number, fileId: string, chunk: number): string {
  return `${chunkFolder(projectId, bucketInternalId, fileId)}/${chunk}.part`;
}

/** Chunk numbers present in a chunk folder listing. */
export function chunkNumbers(names: readonly string[], total: number): number[] {
  return names
    .map((name) => /^(\d+)\.part$/.exec(name)?.[1])
    .filter((value): value is string => value !== undefined)
    .map(Number)
    .filter((chunk) => chunk >= 1 && chunk <= total)
    .sort((a, b) => a - b);
}
