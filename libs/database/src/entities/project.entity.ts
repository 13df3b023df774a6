import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** A project; rows live under the console project. */
@Entity('projects')
export class ProjectEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true, nullable: true }) teamInternalId: string | null;
  @Column({ type: 'varchar', nullable: true }) teamId: string | null;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar' }) region: string;
  @Column({ type: 'varchar' }) description: string;
  @Column({ type: 'varchar' }) logo: string;
  @Column({ type: 'varchar' }) url: string;
  @Column({ type: 'varchar' }) version: string;
  @Column({ type: 'varchar' }) legalName: string;
  @Column({ type: 'varchar' }) legalCountry: string;
  @Column({ type: 'varchar' }) legalState: string;
  @Column({ type: 'varchar' }) legalCity: string;
  @Column({ type: 'varchar' }) legalAddress: string;
  @Column({ type: 'varchar' }) legalTaxId: string;
  /** Service id → enabled. */
  @Column({ type: 'json' }) services: Record<string, boolean>;
  /** Auth settings: limit, duration, personal data checks, per-method switches. */
  @Column({ type: 'json' }) auths: Record<string, unknown>;
  /** OAuth2 provider id → { appId, secret, enabled }. */
  @Column({ type: 'json' }) authProviders: Record<string, unknown>;
  @Column({ type: 'text', nullable: true }) search: string | null;
}
