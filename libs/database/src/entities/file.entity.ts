import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** A stored file (Appwrite 1.3 `bucket_<n>` documents); `$id` is unique within its bucket. */
@Entity('files')
export class FileEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) bucketInternalId: string;
  @Column({ type: 'varchar' }) bucketId: string;
  @Column({ type: 'varchar' }) name: string;
  /** Where the device keeps the stored bytes. */
  @Column({ type: 'varchar' }) path: string;
  /** MD5 (hex) of the original bytes. */
  @Column({ type: 'varchar' }) signature: string;
  @Column({ type: 'varchar' }) mimeType: string;
  /** Upload state (temp chunk location, device data such as S3 upload ids). */
  @Column({ type: 'json' }) metadata: Record<string, unknown>;
  @Column({ type: 'bigint', unsigned: true }) sizeOriginal: string | number;
  @Column({ type: 'bigint', unsigned: true }) sizeActual: string | number;
  /** Compression applied before storing: '', `gzip` or `zstd`. */
  @Column({ type: 'varchar' }) algorithm: string;
  @Column({ type: 'varchar' }) comment: string;
  @Column({ type: 'varchar' }) openSSLVersion: string;
  @Column({ type: 'varchar' }) openSSLCipher: string;
  @Column({ type: 'varchar' }) openSSLTag: string;
  @Column({ type: 'varchar' }) openSSLIV: string;
  @Column({ type: 'int', unsigned: true }) chunksTotal: number;
  @Column({ type: 'int', unsigned: true }) chunksUploaded: number;
  @Column({ type: 'text', nullable: true }) search: string | null;
}
