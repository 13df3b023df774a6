import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('users')
export class UserEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar', nullable: true }) email: string | null;
  @Column({ type: 'varchar', nullable: true }) phone: string | null;
  @Column({ type: 'boolean' }) status: boolean;
  /** The password hash (never the password). */
  @Column({ type: 'text', nullable: true }) password: string | null;
  @Column({ type: 'varchar', nullable: true }) hash: string | null;
  @Column({ type: 'json', nullable: true }) hashOptions: Record<string, unknown> | null;
  @Column({ type: 'json' }) passwordHistory: string[];
  @Column({ type: 'datetime', precision: 3, nullable: true }) passwordUpdate: Date | null;
  @Column({ type: 'json' }) prefs: Record<string, unknown>;
  @Column({ type: 'datetime', precision: 3 }) registration: Date;
  @Column({ type: 'boolean' }) emailVerification: boolean;
  @Column({ type: 'boolean' }) phoneVerification: boolean;
  @Column({ type: 'boolean' }) reset: boolean;
  @Column({ type: 'datetime', precision: 3, nullable: true }) accessedAt: Date | null;
  @Column({ type: 'text', nullable: true }) search: string | null;
}
