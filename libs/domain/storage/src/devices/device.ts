import { Readable } from 'node:stream';

/** An inclusive byte range of a stored object. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where file bytes live. Paths are relative keys (`app-<project>/bucket-<n>/<file>.<ext>`); every
 * method streams, so no implementation holds a whole file in memory.
 */
export interface StorageDevice {
  /** `local`, `s3`, `dospaces`, … (Appwrite's `_APP_STORAGE_DEVICE` values). */
  readonly type: string;
  /** Stores everything `source` yields at `path`, replacing what was there; resolves to the byte count. */
  write(path: string, source: Readable): Promise<number>;
  /** The stored bytes, or the inclusive `range` of them. */
  read(path: string, range?: ByteRange): Promise<Readable>;
  exists(path: string): Promise<boolean>;
  size(path: string): Promise<number>;
  /** Removes one object; a missing object is not an error. */
  delete(path: string): Promise<void>;
  /** Removes every object under a folder-like prefix (`…/tmp/<fileId>`). */
  deleteDirectory(prefix: string): Promise<void>;
  /** Names (relative to `prefix`) of the objects directly under a folder-like prefix. */
  list(prefix: string): Promise<string[]>;
}

/** Joins key segments with `/`, refusing segments that could leave the device root. */
export function deviceKey(...segments: string[]): string {
  for (const segment of segments) {
    if (!segment || segment === '.' || segment === '..' || segment.includes('\\') || segment.includes('\0')) {
      throw new Error(`unsafe storage path segment ${JSON.stringify(segment)}`);
    }
  }
  return segments.join('/');
}
