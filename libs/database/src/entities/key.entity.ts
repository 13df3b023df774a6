import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('keys')
export class KeyEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'json' }) scopes: string[];
  @Column({ type: 'varchar' }) secret: string;
  @Column({ type: 'datetime', precision: 3, nullable: true }) expire: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) accessedAt: Date | null;
  @Column({ type: 'json' }) sdks: string[];
}
