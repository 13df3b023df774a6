import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** A domain's TLS certificate record (console data; the key and chain live on the certificates volume). */
@Entity('certificates')
export class CertificateEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) domain: string;
  @Column({ type: 'datetime', precision: 3, nullable: true }) issueDate: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) renewDate: Date | null;
  @Column({ type: 'int', unsigned: true }) attempts: number;
  @Column({ type: 'text', nullable: true }) log: string | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) updated: Date | null;
}
