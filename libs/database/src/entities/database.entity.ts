import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** A 1.3 database (`databases.<n>` tables are named from its `_id`, see collectionTableName). */
@Entity('databases')
export class DatabaseEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'boolean' }) enabled: boolean;
  @Column({ type: 'text', nullable: true }) search: string | null;
}
