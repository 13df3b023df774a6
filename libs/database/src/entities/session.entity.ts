import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('sessions')
export class SessionEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) userInternalId: string;
  @Column({ type: 'varchar' }) userId: string;
  @Column({ type: 'varchar' }) provider: string;
  @Column({ type: 'varchar' }) providerUid: string;
  @Column({ type: 'text' }) providerAccessToken: string;
  @Column({ type: 'datetime', precision: 3, nullable: true }) providerAccessTokenExpiry: Date | null;
  @Column({ type: 'text' }) providerRefreshToken: string;
  /** Hashed secret. */
  @Column({ type: 'varchar' }) secret: string;
  @Column({ type: 'datetime', precision: 3, nullable: true }) expire: Date | null;
  @Column({ type: 'text' }) userAgent: string;
  @Column({ type: 'varchar' }) ip: string;
  @Column({ type: 'varchar' }) countryCode: string;
  @Column({ type: 'varchar' }) osCode: string;
  @Column({ type: 'varchar' }) osName: string;
  @Column({ type: 'varchar' }) osVersion: string;
  @Column({ type: 'varchar' }) clientType: string;
  @Column({ type: 'varchar' }) clientCode: string;
  @Column({ type: 'varchar' }) clientName: string;
  @Column({ type: 'varchar' }) clientVersion: string;
  @Column({ type: 'varchar' }) clientEngine: string;
  @Column({ type: 'varchar' }) clientEngineVersion: string;
  @Column({ type: 'varchar' }) deviceName: string;
  @Column({ type: 'varchar' }) deviceBrand: string;
  @Column({ type: 'varchar' }) deviceModel: string;
}
