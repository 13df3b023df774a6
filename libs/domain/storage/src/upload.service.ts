import { Inject, Injectable, Optional } from '@nestjs/common';
import { aggregatePermissions, assertValidPermissions, Authorization, ITEM_PERMISSIONS } from '@appconda/auth';
import { AppConfig } from '@appconda/config';
import { AppException, ErrorType, isValidCustomId, RequestContext, resolveId, serviceLogger, setEventParam } from '@appconda/core';
import { BucketEntity, FileEntity, FileRepository } from '@appconda/database';
import { ClamdClient } from '@appconda/health';
import { pipeline, Readable } from 'node:stream';

import { compressStream, Compression, encryptStream, FILE_CIPHER, FILE_KEY_VERSION, fileEncryptionKey, InspectStream, newFileIv, STORAGE_READ_BUFFER } from './codecs';
import { StorageDevice } from './devices/device';
import { FileAccess, setFileEventReaders } from './file-access';
import { sniffMimeType } from './mime';
import { File, toFileModel } from './storage.dto';
import { ANTIVIRUS_SCANNER, AntivirusScanner, InjectUploadsDevice } from './storage.tokens';
import { chunkFolder, chunkNumbers, chunkPath, filePath } from './upload.paths';

const logger = serviceLogger('storage');

/** The part of a Fastify multipart request the upload reads. */
export interface UploadRequest {
  headers: Record<string, string | string[] | undefined>;
  parts(options?: { limits?: Record<string, number> }): AsyncIterableIterator<UploadPart>;
}

export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: Readable & { truncated?: boolean } };

interface ContentRange {
  start: number;
  end: number;
  size: number;
}

/** `bytes <start>-<end>/<size>`; anything else is 400 storage_invalid_content_range. */
export function parseContentRange(header: string): ContentRange {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/.exec(header);
  if (!match) throw new AppException(ErrorType.StorageInvalidContentRange);
  const [start, end, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start || start >= size || end > size) throw new AppException(ErrorType.StorageInvalidContentRange);
  return { start, end, size };
}

/**
 * Which chunk a request carries (PROTOCOL §10): the SDKs send `end = min(start + 5 MiB - 1, total)`,
 * so `end === total` marks the last chunk, whose number comes from the upload's `chunksTotal`.
 */
export function chunkOf(range: ContentRange | undefined): { chunk: number; chunks: number; last: boolean } {
  if (!range) return { chunk: 1, chunks: 1, last: false };
  if (range.end === range.size) return { chunk: -1, chunks: -1, last: true };
  const length = range.end + 1 - range.start;
  return { chunk: Math.floor(range.start / length) + 1, chunks: Math.ceil(range.size / length), last: false };
}

/** Multipart field names the SDKs use for arrays: `permissions[]`, `permissions[0]`, `permissions`. */
function fieldName(name: string): { name: string; array: boolean } {
  const match = /^([^[\]]+)\[(\d*)\]$/.exec(name);
  return match ? { name: match[1], array: true } : { name, array: false };
}

/**
 * `storage.createFile`: streams the `file` part to the device as one chunk of the upload, and when
 * the last chunk is in, assembles the file — scanning, hashing, compressing and encrypting it in one
 * streaming pass (Appwrite 1.3 does the scan/compression/encryption for files up to 20 MB only).
 */
@Injectable()
export class UploadService {
  private readonly scanner: AntivirusScanner;

  constructor(
    private readonly access: FileAccess,
    private readonly config: AppConfig,
    @InjectUploadsDevice() private readonly device: StorageDevice,
    private readonly files: FileRepository,
    @Optional() @Inject(ANTIVIRUS_SCANNER) scanner?: AntivirusScanner,
  ) {
    const { host, port } = config.get('storage').antivirus;
    this.scanner = scanner ?? new ClamdClient({ host, port, timeoutMs: 30_000 });
  }

  async create(ctx: RequestContext, bucketId: string, request: UploadRequest): Promise<File> {
    const { bucket } = await this.access.bucket(ctx, bucketId, 'create');
    const limit = this.config.get('storage').limit;
    const maximumFileSize = Number(bucket.maximumFileSize);
    if (maximumFileSize > limit) throw new AppException(ErrorType.GeneralServerError, 'Maximum bucket file size is larger than _APP_STORAGE_LIMIT');
    const rangeHeader = header(request, 'content-range');
    const range = rangeHeader ? parseContentRange(rangeHeader) : undefined;
    if (range && range.size > maximumFileSize) throw new AppException(ErrorType.StorageInvalidFileSize);

    const fields: Record<string, unknown> = {};
    let upload: { fileId: string; name: string; chunk: number; chunks: number; existing: FileEntity | null; written: number } | undefined;
    try {
      for await (const part of request.parts({ limits: { fileSize: maximumFileSize, files: 1, fields: 200, fieldSize: 1024 * 1024 } })) {
        if (part.type === 'field') {
          const { name, array } = fieldName(part.fieldname);
          if (array) ((fields[name] ??= []) as unknown[]).push(part.value);
          else fields[name] = part.value;
          continue;
        }
        if (part.fieldname !== 'file' || upload) {
          part.file.resume();
          continue;
        }
        upload = await this.receiveChunk(ctx, bucket, range, (range && header(request, 'x-appwrite-id')) || fields.fileId, part);
      }
    } catch (error) {
      if (upload && !upload.existing) await this.device.deleteDirectory(chunkFolder(ctx.projectId, bucket.internalId, upload.fileId)).catch(() => undefined);
      throw translateUploadError(error);
    }
    if (!upload) {
      if (fields.fileId === undefined) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Param "fileId" is not optional.');
      throw new AppException(ErrorType.StorageFileEmpty);
    }
    try {
      const permissions = this.permissions(ctx, fields.permissions);
      if (!range && upload.written > maximumFileSize) throw new AppException(ErrorType.StorageInvalidFileSize);
      return await this.record(ctx, bucket, upload, range, permissions);
    } catch (error) {
      if (!upload.existing) await this.device.deleteDirectory(chunkFolder(ctx.projectId, bucket.internalId, upload.fileId)).catch(() => undefined);
      throw error;
    }
  }

  /** Validates the file part against the bucket and streams it to its chunk slot. */
  private async receiveChunk(ctx: RequestContext, bucket: BucketEntity, range: ContentRange | undefined, rawId: unknown, part: Extract<UploadPart, { type: 'file' }>) {
    const drain = () => part.file.resume();
    if (typeof rawId !== 'string' || rawId === '') {
      drain();
      throw new AppException(ErrorType.GeneralArgumentInvalid, 'Param "fileId" is not optional.');
    }
    if (!isValidCustomId(rawId)) {
      drain();
      throw new AppException(ErrorType.GeneralArgumentInvalid, "Invalid fileId: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char");
    }
    const fileId = resolveId(rawId);
    const name = part.filename ?? '';
    const extensions = (bucket.allowedFileExtensions ?? []).map((ext) => ext.toLowerCase());
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
    if (extensions.length && !extensions.includes(ext)) {
      drain();
      throw new AppException(ErrorType.StorageFileTypeUnsupported, 'File extension not allowed');
    }
    const existing = await this.files.findInBucket(ctx.projectId, bucket.internalId, fileId);
    if (existing && Number(existing.chunksUploaded) >= Number(existing.chunksTotal)) {
      drain();
      throw new AppException(ErrorType.DocumentAlreadyExists, 'A file with the requested ID already exists.');
    }
    let { chunk, chunks } = chunkOf(range);
    if (existing) chunks = Number(existing.chunksTotal);
    if (chunk === -1) {
      // A last chunk with no upload started: a lone final chunk counts from the SDK chunk size.
      chunks = existing ? chunks : Math.max(1, Math.ceil(range!.size / (5 * 1024 * 1024)));
      chunk = chunks;
    }
    if (chunk < 1 || chunk > chunks) {
      drain();
      throw new AppException(ErrorType.StorageInvalidContentRange);
    }
    const slot = chunkPath(ctx.projectId, bucket.internalId, fileId, chunk);
    const written = await this.device.write(slot, part.file);
    if (part.file.truncated) {
      // The cut-off part was stored whole-looking: drop it (and a new upload's folder) before refusing.
      if (existing) await this.device.delete(slot).catch(() => undefined);
      else await this.device.deleteDirectory(chunkFolder(ctx.projectId, bucket.internalId, fileId)).catch(() => undefined);
      throw new AppException(ErrorType.StorageInvalidFileSize);
    }
    return { fileId, name, chunk, chunks, existing, written };
  }

  /** Appwrite 1.3: a user upload without permissions gets read/update/delete for that user. */
  private permissions(ctx: RequestContext, given: unknown): string[] {
    if (given === undefined) return ctx.userId ? ['read', 'update', 'delete'].map((type) => `${type}("user:${ctx.userId}")`) : [];
    const list = Array.isArray(given) ? given : [given];
    assertValidPermissions(list, { allowed: ITEM_PERMISSIONS });
    const permissions = aggregatePermissions(list, ITEM_PERMISSIONS);
    Authorization.for(ctx).assertCanGrant(permissions);
    return permissions;
  }

  /** Records the chunk; once every chunk is stored, assembles the file. */
  private async record(ctx: RequestContext, bucket: BucketEntity, upload: NonNullable<Awaited<ReturnType<UploadService['receiveChunk']>>>, range: ContentRange | undefined, permissions: string[]): Promise<File> {
    const { fileId, name, chunks, existing } = upload;
    const folder = chunkFolder(ctx.projectId, bucket.internalId, fileId);
    const uploaded = chunkNumbers(await this.device.list(folder), chunks);
    setEventParam(ctx, 'bucketId', bucket.uid);
    setEventParam(ctx, 'fileId', fileId);
    const sizeOriginal = range?.size ?? upload.written;
    if (uploaded.length < chunks) {
      const row = existing
        ? await this.files.updateInBucket(ctx.projectId, bucket.internalId, fileId, { chunksUploaded: uploaded.length })
        : await this.createRow(ctx, bucket, { uid: fileId, permissions, name, sizeOriginal, chunksTotal: chunks, chunksUploaded: uploaded.length });
      if (!row) throw new AppException(ErrorType.StorageFileNotFound);
      setFileEventReaders(ctx, bucket, row.permissions);
      return toFileModel(row);
    }
    const stored = await this.assemble(ctx, bucket, fileId, name, chunks, sizeOriginal);
    const data = { ...stored, permissions, name, chunksTotal: chunks, chunksUploaded: chunks, metadata: {} };
    let row: FileEntity | null;
    try {
      row = existing ? await this.files.updateInBucket(ctx.projectId, bucket.internalId, fileId, data) : await this.createRow(ctx, bucket, { uid: fileId, ...data });
    } catch (error) {
      await this.device.delete(stored.path).catch(() => undefined);
      throw error;
    }
    await this.device.deleteDirectory(folder).catch((error: unknown) => logger.warn({ err: error, fileId }, 'chunk folder cleanup failed'));
    if (!row) throw new AppException(ErrorType.StorageFileNotFound);
    setFileEventReaders(ctx, bucket, row.permissions);
    return toFileModel(row);
  }

  private async createRow(ctx: RequestContext, bucket: BucketEntity, data: Partial<FileEntity> & { uid: string; permissions: string[] }): Promise<FileEntity> {
    try {
      return await this.files.create(ctx.projectId, {
        bucketInternalId: bucket.internalId,
        bucketId: bucket.uid,
        search: `${data.uid} ${data.name ?? ''}`,
        ...data,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') throw new AppException(ErrorType.DocumentAlreadyExists);
      throw error;
    }
  }

  /** Concatenates the chunks into the stored file: scan, then hash + compress + encrypt in one pass. */
  private async assemble(ctx: RequestContext, bucket: BucketEntity, fileId: string, name: string, chunks: number, size: number) {
    const folder = chunkFolder(ctx.projectId, bucket.internalId, fileId);
    const chunksStream = () =>
      Readable.from(
        (async function* (device: StorageDevice) {
          for (let chunk = 1; chunk <= chunks; chunk++) yield* await device.read(`${folder}/${chunk}.part`);
        })(this.device),
      );
    const small = size <= STORAGE_READ_BUFFER;
    const antivirus = this.config.get('storage').antivirus.enabled && bucket.antivirus && small;
    if (antivirus) {
      const result = await this.scanner.scan(chunksStream());
      if (!result.clean) {
        await this.device.deleteDirectory(folder);
        await this.files.deleteInBucket(ctx.projectId, bucket.internalId, fileId);
        logger.info({ projectId: ctx.projectId, bucketId: bucket.uid, fileId, signature: result.signature }, 'upload refused by antivirus');
        throw new AppException(ErrorType.StorageInvalidFile);
      }
    }
    const compression = small && bucket.compression !== Compression.None ? bucket.compression : '';
    const encrypt = small && bucket.encryption;
    const inspect = new InspectStream();
    const stages: NodeJS.ReadWriteStream[] = [inspect];
    if (compression) stages.push(compressStream(compression));
    const iv = newFileIv();
    const cipher = encrypt ? encryptStream(fileEncryptionKey(this.config.get('opensslKey')), iv) : undefined;
    if (cipher) stages.push(cipher);
    const path = filePath(ctx.projectId, bucket.internalId, fileId, name);
    const output = pipeline([chunksStream(), ...stages], () => undefined) as unknown as Readable;
    const sizeActual = await this.device.write(path, output);
    return {
      path,
      signature: inspect.digest(),
      mimeType: sniffMimeType(inspect.head()),
      sizeOriginal: inspect.bytes,
      sizeActual,
      algorithm: compression,
      openSSLVersion: cipher ? FILE_KEY_VERSION : '',
      openSSLCipher: cipher ? FILE_CIPHER : '',
      openSSLTag: cipher ? cipher.authTag().toString('hex') : '',
      openSSLIV: cipher ? iv.toString('hex') : '',
    };
  }
}

function header(request: UploadRequest, name: string): string | undefined {
  const value = request.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Multipart failures in Appwrite's words. */
function translateUploadError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppException(ErrorType.StorageInvalidFileSize);
  // The client went away mid-upload; nobody reads the answer, but it should not count as a server fault.
  if (code === 'ECONNRESET' || (error as Error)?.message === 'aborted') return new AppException(ErrorType.StorageInvalidFile, 'The upload was interrupted before the file was complete.');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new AppException(ErrorType.GeneralArgumentInvalid, 'The multipart body is not valid.');
  }
  return error;
}
