import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('tokens')
export class TokenEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) userInternalId: string;
  @Column({ type: 'varchar' }) userId: string;
  /** Appwrite token type: 2 verification, 3 recovery, 4 invite, 5 magic URL, 6 phone. */
  @Column({ type: 'tinyint', unsigned: true }) type: number;
  /** Hashed secret. */
  @Column({ type: 'varchar' }) secret: string;
  @Column({ type: 'datetime', precision: 3 }) expire: Date;
  @Column({ type: 'text' }) userAgent: string;
  @Column({ type: 'varchar' }) ip: string;
}
