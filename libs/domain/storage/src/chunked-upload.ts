import { AppException, ErrorType } from '@appconda/core';
import { Readable } from 'node:stream';

import { StorageDevice } from './devices/device';

/** The part of a Fastify multipart request an upload reads. */
export interface UploadRequest {
  headers: Record<string, string | string[] | undefined>;
  parts(options?: { limits?: Record<string, number> }): AsyncIterableIterator<UploadPart>;
}

export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: Readable & { truncated?: boolean } };

export type FilePart = Extract<UploadPart, { type: 'file' }>;

export interface ContentRange {
  start: number;
  end: number;
  size: number;
}

/** SDK chunk size (PROTOCOL §10): a lone last chunk counts its upload's chunks from it. */
export const UPLOAD_CHUNK_SIZE = 5 * 1024 * 1024;

/** A request header's first value. */
export function requestHeader(request: Pick<UploadRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
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

/**
 * The chunk number and total of one request, given the total an upload already in progress recorded:
 * a last chunk with no upload started counts its chunks from the SDK chunk size. A number outside
 * 1..total is 400 storage_invalid_content_range.
 */
export function chunkSlot(range: ContentRange | undefined, storedTotal?: number): { chunk: number; chunks: number } {
  let { chunk, chunks } = chunkOf(range);
  if (storedTotal !== undefined) chunks = storedTotal;
  if (chunk === -1) {
    chunks = storedTotal ?? Math.max(1, Math.ceil(range!.size / UPLOAD_CHUNK_SIZE));
    chunk = chunks;
  }
  if (chunk < 1 || chunk > chunks) throw new AppException(ErrorType.StorageInvalidContentRange);
  return { chunk, chunks };
}

/** Multipart field names the SDKs use for arrays: `permissions[]`, `permissions[0]`, `permissions`. */
function fieldName(name: string): { name: string; array: boolean } {
  const match = /^([^[\]]+)\[(\d*)\]$/.exec(name);
  return match ? { name: match[1], array: true } : { name, array: false };
}

/**
 * Reads a multipart upload: collects the fields and hands the first part named `fileField` to `receive`
 * (which streams it somewhere); other file parts are drained. If anything fails after `receive` stored
 * its chunk, `discard(received)` undoes it before the error (in Appwrite's words) is thrown.
 */
export async function readUpload<T>(
  request: UploadRequest,
  options: { fileField: string; maxFileBytes: number },
  receive: (part: FilePart, fields: Record<string, unknown>) => Promise<T>,
  discard: (received: T) => Promise<unknown>,
): Promise<{ fields: Record<string, unknown>; received: T | undefined }> {
  const fields: Record<string, unknown> = {};
  let received: T | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: options.maxFileBytes, files: 1, fields: 200, fieldSize: 1024 * 1024 } })) {
      if (part.type === 'field') {
        const { name, array } = fieldName(part.fieldname);
        if (array) ((fields[name] ??= []) as unknown[]).push(part.value);
        else fields[name] = part.value;
        continue;
      }
      if (part.fieldname !== options.fileField || received !== undefined) {
        part.file.resume();
        continue;
      }
      received = await receive(part, fields);
    }
  } catch (error) {
    if (received !== undefined) await Promise.resolve(discard(received)).catch(() => undefined);
    throw translateUploadError(error);
  }
  return { fields, received };
}

/**
 * Streams one chunk part to its slot on the device; a part cut off at the byte limit is removed again
 * (`cleanup` says what: the slot alone, or a new upload's whole folder) and is 400 storage_invalid_file_size.
 */
export async function writeChunk(device: StorageDevice, slot: string, part: FilePart, cleanup: () => Promise<unknown>): Promise<number> {
  const written = await device.write(slot, part.file);
  if (part.file.truncated) {
    await cleanup().catch(() => undefined);
    throw new AppException(ErrorType.StorageInvalidFileSize);
  }
  return written;
}

/** The stored chunks `1..chunks` of a folder, one after the other, as one stream. */
export function chunksStream(device: StorageDevice, folder: string, chunks: number): Readable {
  return Readable.from(
    (async function* () {
      for (let chunk = 1; chunk <= chunks; chunk++) yield* await device.read(`${folder}/${chunk}.part`);
    })(),
  );
}

/** Multipart failures in Appwrite's words. */
export function translateUploadError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppException(ErrorType.StorageInvalidFileSize);
  // The client went away mid-upload; nobody reads the answer, but it should not count as a server fault.
  if (code === 'ECONNRESET' || (error as Error)?.message === 'aborted') return new AppException(ErrorType.StorageInvalidFile, 'The upload was interrupted before the file was complete.');
  // busboy's own parse failures carry no code: a boundary missing from the content type or never found in
  // the body, a body cut short, a malformed part header.
  const parserFailure = /^(Multipart: |Unexpected end of |Malformed )/.test(String((error as Error)?.message ?? ''));
  if (parserFailure || code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PROTO_VIOLATION') {
    return new AppException(ErrorType.GeneralArgumentInvalid, 'The multipart body is not valid.');
  }
  return error;
}
