import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('domains')
export class DomainEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) domain: string;
  @Column({ type: 'varchar' }) tld: string;
  @Column({ type: 'varchar' }) registerable: string;
  @Column({ type: 'boolean' }) verification: boolean;
  @Column({ type: 'varchar', nullable: true }) certificateId: string | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) updated: Date | null;
}
