import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('memberships')
export class MembershipEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) userInternalId: string;
  @Column({ type: 'varchar' }) userId: string;
  @Column({ type: 'bigint', unsigned: true }) teamInternalId: string;
  @Column({ type: 'varchar' }) teamId: string;
  @Column({ type: 'json' }) roles: string[];
  @Column({ type: 'datetime', precision: 3, nullable: true }) invited: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) joined: Date | null;
  @Column({ type: 'boolean' }) confirm: boolean;
  /** Hashed invitation secret. */
  @Column({ type: 'varchar' }) secret: string;
  @Column({ type: 'text', nullable: true }) search: string | null;
}
