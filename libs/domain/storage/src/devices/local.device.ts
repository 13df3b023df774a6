import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { ByteRange, StorageDevice } from './device';

/**
 * Files on a local volume (`_APP_STORAGE_DEVICE=local`), under the uploads path. Writes go to a
 * temporary name first and are renamed into place, so a reader never sees a half-written file.
 */
export class LocalDevice implements StorageDevice {
  readonly type = 'local';
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async write(path: string, source: Readable): Promise<number> {
    const target = this.resolve(path);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(temporary));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return bytes;
  }

  async read(path: string, range?: ByteRange): Promise<Readable> {
    const target = this.resolve(path);
    await stat(target);
    return createReadStream(target, range ? { start: range.start, end: range.end } : {});
  }

  async exists(path: string): Promise<boolean> {
    return stat(this.resolve(path)).then(
      (info) => info.isFile(),
      () => false,
    );
  }

  async size(path: string): Promise<number> {
    return (await stat(this.resolve(path))).size;
  }

  async delete(path: string): Promise<void> {
    await rm(this.resolve(path), { force: true });
  }

  async deleteDirectory(prefix: string): Promise<void> {
    await rm(this.resolve(prefix), { recursive: true, force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const entries = await readdir(this.resolve(prefix), { withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp')).map((entry) => entry.name);
  }

  /** The absolute path of a key; anything resolving outside the root is refused. */
  private resolve(path: string): string {
    const target = resolve(join(this.root, path));
    const inside = relative(this.root, target);
    if (!inside || inside.startsWith('..') || inside.startsWith(sep)) throw new Error(`path ${path} leaves the storage root`);
    return target;
  }
}
