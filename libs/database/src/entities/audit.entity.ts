import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** One audit log entry; `uid` is the producer-supplied entry id (the audit job's id). */
@Entity('audit')
export class AuditEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true, nullable: true }) userInternalId: string | null;
  @Column({ type: 'varchar', nullable: true }) userId: string | null;
  @Column({ type: 'varchar' }) userName: string;
  @Column({ type: 'varchar' }) userEmail: string;
  @Column({ type: 'varchar' }) mode: string;
  @Column({ type: 'varchar' }) event: string;
  @Column({ type: 'varchar' }) resource: string;
  @Column({ type: 'text' }) userAgent: string;
  @Column({ type: 'varchar' }) ip: string;
  @Column({ type: 'varchar' }) location: string;
  @Column({ type: 'datetime', precision: 3 }) time: Date;
  @Column({ type: 'json' }) data: Record<string, unknown>;
}
