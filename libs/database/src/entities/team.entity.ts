import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

@Entity('teams')
export class TeamEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'int', unsigned: true }) total: number;
  @Column({ type: 'json' }) prefs: Record<string, unknown>;
  @Column({ type: 'text', nullable: true }) search: string | null;
}
