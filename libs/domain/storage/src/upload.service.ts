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
import { chunksStream, chunkSlot, ContentRange, FilePart, parseContentRange, readUpload, requestHeader, UploadRequest, writeChunk } from './chunked-upload';
import { chunkFolder, chunkNumbers, chunkPath, filePath } from './upload.paths';

const logger = serviceLogger('storage');

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
    const rangeHeader = requestHeader(request, 'content-range');
    const range = rangeHeader ? parseContentRange(rangeHeader) : undefined;
    if (range && range.size > maximumFileSize) throw new AppException(ErrorType.StorageInvalidFileSize);

    const { fields, received: upload } = await readUpload(
      request,
      { fileField: 'file', maxFileBytes: maximumFileSize },
      (part, seen) => this.receiveChunk(ctx, bucket, range, (range && requestHeader(request, 'x-appwrite-id')) || seen.fileId, part),
      (received) => (received.existing ? Promise.resolve() : this.device.deleteDirectory(chunkFolder(ctx.projectId, bucket.internalId, received.fileId))),
    );
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
  private async receiveChunk(ctx: RequestContext, bucket: BucketEntity, range: ContentRange | undefined, rawId: unknown, part: FilePart) {
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
    let slotted: { chunk: number; chunks: number };
    try {
      slotted = chunkSlot(range, existing ? Number(existing.chunksTotal) : undefined);
    } catch (error) {
      drain();
      throw error;
    }
    const { chunk, chunks } = slotted;
    const slot = chunkPath(ctx.projectId, bucket.internalId, fileId, chunk);
    // A cut-off part is dropped (with a new upload's folder) before refusing.
    const written = await writeChunk(this.device, slot, part, () => (existing ? this.device.delete(slot) : this.device.deleteDirectory(chunkFolder(ctx.projectId, bucket.internalId, fileId))));
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
    const chunkBytes = () => chunksStream(this.device, folder, chunks);
    const small = size <= STORAGE_READ_BUFFER;
    const antivirus = this.config.get('storage').antivirus.enabled && bucket.antivirus && small;
    if (antivirus) {
      const result = await this.scanner.scan(chunkBytes());
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
    const output = pipeline([chunkBytes(), ...stages], () => undefined) as unknown as Readable;
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
