import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('platforms')
export class PlatformEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) type: string;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar', nullable: true }) key: string | null;
  @Column({ type: 'varchar', nullable: true }) store: string | null;
  @Column({ type: 'varchar', nullable: true }) hostname: string | null;
}
