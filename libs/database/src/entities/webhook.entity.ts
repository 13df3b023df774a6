import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('webhooks')
export class WebhookEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar' }) url: string;
  @Column({ type: 'varchar' }) httpUser: string;
  @Column({ type: 'varchar' }) httpPass: string;
  @Column({ type: 'boolean' }) security: boolean;
  @Column({ type: 'json' }) events: string[];
  @Column({ type: 'varchar' }) signatureKey: string;
}
