import { Injectable } from '@nestjs/common';
import { aggregatePermissions, assertValidPermissions, Authorization, ITEM_PERMISSIONS } from '@appconda/auth';
import { AppConfig } from '@appconda/config';
import { AppException, ErrorType, RequestContext, setEventParam } from '@appconda/core';
import { FileEntity, FileRepository } from '@appconda/database';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';
import { PassThrough, pipeline, Readable } from 'node:stream';

import { decompressStream, decryptStream, fileEncryptionKey, sliceStream } from './codecs';
import { ByteRange, StorageDevice } from './devices/device';
import { FileAccess, setFileEventReaders } from './file-access';
import { File, ListQueryDto, toFileModel, UpdateFileDto } from './storage.dto';
import { InjectUploadsDevice } from './storage.tokens';
import { chunkFolder } from './upload.paths';

/** What `openRead` hands out: the file record and its original bytes (or the asked range of them). */
export interface OpenedFile {
  file: FileEntity;
  /** Decrypted and decompressed content. */
  stream: Readable;
  /** The inclusive byte range served, when one was asked for. */
  range?: ByteRange;
}

/** Default length of an open-ended range (`bytes=100-`), as Appwrite 1.3 answers it. */
const OPEN_RANGE_LENGTH = 2_000_000;

/**
 * Parses a `Range` header the way Appwrite 1.3 does: only `bytes=<start>-[<end>]`; an open end
 * covers up to 2 MB; a start not below the end, or an end beyond the file, is 416
 * storage_invalid_range.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^\s*(\w+)=(\d+)-(\d*)\s*$/.exec(header);
  if (!match || match[1] !== 'bytes') throw new AppException(ErrorType.StorageInvalidRange);
  const start = Number(match[2]);
  const end = match[3] === '' ? Math.min(start + OPEN_RANGE_LENGTH - 1, size - 1) : Number(match[3]);
  if (start >= end || end >= size) throw new AppException(ErrorType.StorageInvalidRange);
  return { start, end };
}

@Injectable()
export class FilesService {
  constructor(
    private readonly access: FileAccess,
    private readonly config: AppConfig,
    @InjectUploadsDevice() private readonly device: StorageDevice,
    private readonly files: FileRepository,
  ) {}

  async list(ctx: RequestContext, bucketId: string, dto: ListQueryDto): Promise<{ total: number; files: File[] }> {
    const access = await this.access.bucket(ctx, bucketId, 'read');
    const groups = withSearch(validateQueries(parseQueries(dto.queries ?? []), SystemListSchemas.files), dto.search);
    const readRoles = this.access.readRoles(ctx, access);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const cursor = await this.files.findInBucket(ctx.projectId, access.bucket.internalId, groups.cursor.id);
      if (!cursor || (readRoles && !Authorization.isAllowed('read', cursor.permissions, readRoles))) throw cursorNotFound(groups.cursor.id);
      cursorRow = { ...toFileModel(cursor), $internalId: cursor.internalId, $createdAt: cursor.createdAt, $updatedAt: cursor.updatedAt };
    }
    const compiled = compileQueries(groups, { cursorRow, schema: SystemListSchemas.files });
    const { rows, total } = await this.files.listInBucket(ctx.projectId, access.bucket.internalId, compiled, readRoles);
    return { total, files: rows.map(toFileModel) };
  }

  async get(ctx: RequestContext, bucketId: string, fileId: string): Promise<File> {
    const access = await this.access.bucket(ctx, bucketId, 'read');
    return toFileModel(await this.access.file(ctx, access, fileId, 'read'));
  }

  /** 1.3 keeps the current permissions when none are sent; a user may only grant roles they hold. */
  async update(ctx: RequestContext, bucketId: string, fileId: string, dto: UpdateFileDto): Promise<File> {
    const access = await this.access.bucket(ctx, bucketId, 'update');
    const file = await this.access.file(ctx, access, fileId, 'update');
    let permissions = file.permissions;
    if (dto.permissions !== undefined) {
      assertValidPermissions(dto.permissions, { allowed: ITEM_PERMISSIONS });
      Authorization.for(ctx).assertCanGrant(dto.permissions);
      permissions = aggregatePermissions(dto.permissions, ITEM_PERMISSIONS);
    }
    setEventParam(ctx, 'bucketId', access.bucket.uid);
    setEventParam(ctx, 'fileId', file.uid);
    const row = await this.files.updateInBucket(ctx.projectId, access.bucket.internalId, file.uid, { permissions });
    if (!row) throw new AppException(ErrorType.StorageFileNotFound);
    setFileEventReaders(ctx, access.bucket, row.permissions);
    return toFileModel(row);
  }

  /** Removes the stored bytes (and any unfinished chunks), then the record. */
  async delete(ctx: RequestContext, bucketId: string, fileId: string): Promise<File> {
    const access = await this.access.bucket(ctx, bucketId, 'delete');
    const file = await this.access.file(ctx, access, fileId, 'delete');
    setEventParam(ctx, 'bucketId', access.bucket.uid);
    setEventParam(ctx, 'fileId', file.uid);
    await this.removeBytes(file);
    if (!(await this.files.deleteInBucket(ctx.projectId, access.bucket.internalId, file.uid))) throw new AppException(ErrorType.StorageFileNotFound);
    setFileEventReaders(ctx, access.bucket, file.permissions);
    return toFileModel(file);
  }

  /**
   * The readable content of a file after the 1.3 read checks: decrypted and decompressed, sliced
   * to `rangeHeader` when given. The base for download, view and image previews.
   */
  async openRead(projectId: string, bucketId: string, fileId: string, ctx: RequestContext, rangeHeader?: string): Promise<OpenedFile> {
    if (ctx.projectId !== projectId) throw new AppException(ErrorType.StorageFileNotFound);
    const access = await this.access.bucket(ctx, bucketId, 'read');
    const file = await this.access.file(ctx, access, fileId, 'read');
    if (Number(file.chunksUploaded) < Number(file.chunksTotal) || !file.path || !(await this.device.exists(file.path))) {
      throw new AppException(ErrorType.StorageFileNotFound, 'The file content is not available.');
    }
    const range = parseRange(rangeHeader, Number(file.sizeOriginal));
    return { file, range, stream: await this.decoded(file, range) };
  }

  /** Deletes a file's stored bytes and chunk folder; used by deletes and the cleanup sweep too. */
  async removeBytes(file: FileEntity): Promise<void> {
    if (file.path) await this.device.delete(file.path);
    await this.device.deleteDirectory(chunkFolder(file.project, file.bucketInternalId, file.uid));
  }

  private async decoded(file: FileEntity, range?: ByteRange): Promise<Readable> {
    const encrypted = Boolean(file.openSSLCipher);
    if (!encrypted && !file.algorithm) return this.device.read(file.path, range);
    const stages: NodeJS.ReadWriteStream[] = [];
    if (encrypted) {
      const key = fileEncryptionKey(this.config.get('opensslKey'));
      stages.push(decryptStream(key, Buffer.from(file.openSSLIV, 'hex'), Buffer.from(file.openSSLTag, 'hex')));
    }
    if (file.algorithm) stages.push(decompressStream(file.algorithm));
    if (range) stages.push(sliceStream(range.start, range.end));
    const output = new PassThrough();
    pipeline([await this.device.read(file.path), ...stages, output], () => undefined);
    return output;
  }
}
