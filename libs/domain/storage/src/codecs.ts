import type * as Zstd from '@mongodb-js/zstd';
import { lazyRequire } from '@appconda/core';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';

/** The zstd native addon, loaded by the first zstd bucket's stream rather than by every thread at start. */
const zstd = lazyRequire<typeof Zstd>('@mongodb-js/zstd');

/** Bucket compression settings (Appwrite 1.3 `compression` param). */
export enum Compression {
  None = 'none',
  Gzip = 'gzip',
  Zstd = 'zstd',
}

/**
 * Appwrite 1.3 compresses, encrypts and scans only files up to this size (APP_STORAGE_READ_BUFFER,
 * 20 MB); larger files are stored as uploaded.
 */
export const STORAGE_READ_BUFFER = 20_000_000;

/** The cipher recorded on encrypted files (`openSSLCipher`). */
export const FILE_CIPHER = 'aes-256-gcm';
/** `openSSLVersion`: which `_APP_OPENSSL_KEY_V<n>` the key was derived from. */
export const FILE_KEY_VERSION = '1';

/** The file encryption key: HKDF-SHA256 of `_APP_OPENSSL_KEY_V1`, so the raw secret is never the key. */
export function fileEncryptionKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), Buffer.from('appconda/storage/files', 'utf8'), 32));
}

/** A fresh 96-bit GCM IV for one file. */
export function newFileIv(): Buffer {
  return randomBytes(12);
}

/** Streaming AES-256-GCM encryption; read `authTag()` once the stream has finished. */
export function encryptStream(key: Buffer, iv: Buffer): Transform & { authTag(): Buffer } {
  const cipher = createCipheriv(FILE_CIPHER, key, iv);
  return Object.assign(cipher, { authTag: () => cipher.getAuthTag() });
}

/** Streaming decryption; the tag is checked when the stream ends (a tampered file errors then). */
export function decryptStream(key: Buffer, iv: Buffer, tag: Buffer): Transform {
  const decipher = createDecipheriv(FILE_CIPHER, key, iv);
  decipher.setAuthTag(tag);
  return decipher;
}

/** Zstandard block size: input is compressed in independent frames of this many bytes. */
const ZSTD_BLOCK = 1024 * 1024;

/**
 * Streaming zstd: the input is cut into 1 MiB blocks, each compressed as its own zstd frame and
 * written as `<u32 BE frame length><frame>`, so both directions hold one block in memory at most.
 */
class ZstdCompressStream extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < ZSTD_BLOCK) return callback();
    this.emitBlocks(false).then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.emitBlocks(true).then(() => callback(), callback);
  }

  private async emitBlocks(final: boolean): Promise<void> {
    let data = Buffer.concat(this.pending, this.pendingBytes);
    while (data.length >= ZSTD_BLOCK || (final && data.length > 0)) {
      const block = data.subarray(0, ZSTD_BLOCK);
      data = data.subarray(block.length);
      const frame = await zstd().compress(block, 3);
      const size = Buffer.alloc(4);
      size.writeUInt32BE(frame.length);
      this.push(size);
      this.push(frame);
    }
    this.pending = data.length ? [Buffer.from(data)] : [];
    this.pendingBytes = data.length;
  }
}

class ZstdDecompressStream extends Transform {
  private buffer: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    this.drain().then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.buffer.length) return callback(new Error('zstd stream ended inside a frame'));
    callback();
  }

  private async drain(): Promise<void> {
    while (this.buffer.length >= 4) {
      const size = this.buffer.readUInt32BE(0);
      if (this.buffer.length < 4 + size) return;
      const frame = this.buffer.subarray(4, 4 + size);
      this.buffer = this.buffer.subarray(4 + size);
      this.push(await zstd().decompress(frame));
    }
  }
}

export function compressStream(algorithm: string): Transform {
  if (algorithm === Compression.Gzip) return createGzip();
  if (algorithm === Compression.Zstd) return new ZstdCompressStream();
  throw new Error(`unknown compression ${algorithm}`);
}

export function decompressStream(algorithm: string): Transform {
  if (algorithm === Compression.Gzip) return createGunzip();
  if (algorithm === Compression.Zstd) return new ZstdDecompressStream();
  throw new Error(`unknown compression ${algorithm}`);
}

/** Passes bytes through while hashing (MD5, the 1.3 `signature`), counting and keeping the first bytes for type sniffing. */
export class InspectStream extends Transform {
  private readonly hash = createHash('md5');
  private headParts: Buffer[] = [];
  private headBytes = 0;
  bytes = 0;

  constructor(private readonly headLimit = 4096) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.headBytes < this.headLimit) {
      const part = chunk.subarray(0, this.headLimit - this.headBytes);
      this.headParts.push(Buffer.from(part));
      this.headBytes += part.length;
    }
    callback(null, chunk);
  }

  /** Hex MD5; call once, after the stream finished. */
  digest(): string {
    return this.hash.digest('hex');
  }

  head(): Buffer {
    return Buffer.concat(this.headParts, this.headBytes);
  }
}

/** Keeps only bytes `start..end` (inclusive) of a stream, for ranges over decoded content. */
export function sliceStream(start: number, end: number): Transform {
  let position = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const from = Math.max(start - position, 0);
      const to = Math.min(end + 1 - position, chunk.length);
      position += chunk.length;
      if (to > from) this.push(chunk.subarray(from, to));
      if (position > end) this.push(null);
      callback();
    },
  });
}
