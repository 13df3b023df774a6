import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** A 1.3 collection: its `$id` is unique within its database; its documents live in `_<p>_<d>_<c>`. */
@Entity('collections')
export class CollectionEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) databaseInternalId: string;
  @Column({ type: 'varchar' }) databaseId: string;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'boolean' }) enabled: boolean;
  @Column({ type: 'boolean' }) documentSecurity: boolean;
  @Column({ type: 'text', nullable: true }) search: string | null;
}
