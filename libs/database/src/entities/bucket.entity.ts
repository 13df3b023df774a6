import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** A storage bucket (Appwrite 1.3 `buckets`). */
@Entity('buckets')
export class BucketEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'boolean' }) enabled: boolean;
  @Column({ type: 'boolean' }) fileSecurity: boolean;
  /** Bytes; BIGINT comes back from the driver as a string or number. */
  @Column({ type: 'bigint', unsigned: true }) maximumFileSize: string | number;
  @Column({ type: 'json' }) allowedFileExtensions: string[];
  /** `none`, `gzip` or `zstd`. */
  @Column({ type: 'varchar' }) compression: string;
  @Column({ type: 'boolean' }) encryption: boolean;
  @Column({ type: 'boolean' }) antivirus: boolean;
  @Column({ type: 'text', nullable: true }) search: string | null;
}
