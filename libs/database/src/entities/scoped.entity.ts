import { Column, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The system columns every project-scoped row carries (internal tables and user collection tables
 * alike). Internal ids are BIGINT and surface as strings, like Appwrite's `$internalId`.
 */
export abstract class ScopedEntity {
  @PrimaryGeneratedColumn({ name: '_id', type: 'bigint', unsigned: true })
  internalId: string;

  /** The public `$id`. */
  @Column({ name: '_uid', type: 'varchar', length: 36 })
  uid: string;

  /** The owning project's `$id` (`console` for the console's own data). */
  @Column({ name: '_project', type: 'varchar', length: 36 })
  project: string;

  @Column({ name: '_createdAt', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: '_updatedAt', type: 'datetime', precision: 3 })
  updatedAt: Date;

  /** Appwrite permission strings, e.g. `read("user:abc")`. */
  @Column({ name: '_permissions', type: 'json' })
  permissions: string[];
}
