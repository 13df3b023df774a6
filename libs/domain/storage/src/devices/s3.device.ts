import type * as S3 from '@aws-sdk/client-s3';
import { lazyRequire } from '@appconda/core';
import { Readable } from 'node:stream';

import { ByteRange, StorageDevice } from './device';

export interface S3DeviceOptions {
  /** Device label (`s3`, `dospaces`, `backblaze`, `linode`, `wasabi`). */
  type?: string;
  accessKey: string;
  secret: string;
  region: string;
  bucket: string;
  /** Custom endpoint of an S3-compatible service; AWS's own when absent. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), for stand-ins and some providers. */
  forcePathStyle?: boolean;
  /** Key prefix inside the bucket. */
  root?: string;
  /** Multipart part size in bytes (S3's minimum is 5 MiB). */
  partSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * The AWS SDK, loaded when the first S3 device is made: with @smithy and @aws-sdk/core it is ~1.2 MB of
 * source (~3 MB of heap) that a thread storing files on the local device never needs.
 */
const s3Sdk = lazyRequire<typeof S3>('@aws-sdk/client-s3');

/**
 * Objects in an S3-compatible bucket through the AWS SDK v3. Writes are streamed as a multipart
 * upload, holding one part in memory at a time; an object smaller than one part is a single PUT.
 */
export class S3Device implements StorageDevice {
  readonly type: string;
  private readonly client: S3.S3Client;
  private readonly partSize: number;
  private readonly sdk = s3Sdk();

  constructor(private readonly options: S3DeviceOptions) {
    this.type = options.type ?? 's3';
    this.partSize = Math.max(options.partSize ?? 8 * 1024 * 1024, MIN_PART_SIZE);
    this.client = new this.sdk.S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKey, secretAccessKey: options.secret },
      // Checksums only when the operation requires them, so S3-compatible services without the newer
      // flexible-checksum support keep working.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async write(path: string, source: Readable): Promise<number> {
    const key = this.key(path);
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    let total = 0;
    let uploadId: string | undefined;
    const parts: { ETag?: string; PartNumber: number }[] = [];
    const flush = async () => {
      const body = Buffer.concat(buffered, bufferedBytes);
      buffered = [];
      bufferedBytes = 0;
      uploadId ??= (await this.client.send(new this.sdk.CreateMultipartUploadCommand({ Bucket: this.options.bucket, Key: key }))).UploadId;
      const PartNumber = parts.length + 1;
      const answer = await this.client.send(new this.sdk.UploadPartCommand({ Bucket: this.options.bucket, Key: key, UploadId: uploadId, PartNumber, Body: body, ContentLength: body.length }));
      parts.push({ ETag: answer.ETag, PartNumber });
    };
    try {
      for await (const chunk of source) {
        const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        buffered.push(data);
        bufferedBytes += data.length;
        total += data.length;
        if (bufferedBytes >= this.partSize) await flush();
      }
      if (!uploadId) {
        const body = Buffer.concat(buffered, bufferedBytes);
        await this.client.send(new this.sdk.PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body, ContentLength: body.length }));
        return total;
      }
      if (bufferedBytes > 0) await flush();
      await this.client.send(new this.sdk.CompleteMultipartUploadCommand({ Bucket: this.options.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
      return total;
    } catch (error) {
      if (uploadId) await this.client.send(new this.sdk.AbortMultipartUploadCommand({ Bucket: this.options.bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    }
  }

  async read(path: string, range?: ByteRange): Promise<Readable> {
    const answer = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(path), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
    return answer.Body as Readable;
  }

  async exists(path: string): Promise<boolean> {
    return this.size(path).then(
      () => true,
      () => false,
    );
  }

  async size(path: string): Promise<number> {
    const answer = await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(path) }));
    return Number(answer.ContentLength ?? 0);
  }

  async delete(path: string): Promise<void> {
    await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(path) }));
  }

  async deleteDirectory(prefix: string): Promise<void> {
    for (const name of await this.list(prefix)) await this.delete(`${prefix}/${name}`);
  }

  async list(prefix: string): Promise<string[]> {
    const base = `${this.key(prefix)}/`;
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new this.sdk.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: base, Delimiter: '/', ContinuationToken: token }));
      for (const item of page.Contents ?? []) if (item.Key) names.push(item.Key.slice(base.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names;
  }

  /** Closes the SDK's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  private key(path: string): string {
    const root = (this.options.root ?? '').replace(/^\/+|\/+$/g, '');
    return root ? `${root}/${path}` : path;
  }
}
