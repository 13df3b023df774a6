import { Column, Entity } from 'typeorm';

import { SchemaStatus } from './attribute.entity';
import { ScopedEntity } from './scoped.entity';

/** One index of a collection (Appwrite 1.3's `indexes` collection); `_uid` as for attributes. */
@Entity('indexes')
export class IndexEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) databaseInternalId: string;
  @Column({ type: 'varchar' }) databaseId: string;
  @Column({ type: 'bigint', unsigned: true }) collectionInternalId: string;
  @Column({ type: 'varchar' }) collectionId: string;
  @Column({ type: 'varchar' }) key: string;
  /** `key`, `unique` or `fulltext`. */
  @Column({ type: 'varchar' }) type: string;
  @Column({ type: 'varchar' }) status: SchemaStatus;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'json' }) attributes: string[];
  @Column({ type: 'json' }) lengths: (number | null)[];
  @Column({ type: 'json' }) orders: (string | null)[];
}
