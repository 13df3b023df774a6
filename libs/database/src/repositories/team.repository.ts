import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { TeamEntity } from '../entities';
import { assertProjectId, ScopedRepository } from './scoped.repository';

@Injectable()
export class TeamRepository extends ScopedRepository<TeamEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, TeamEntity);
  }

  /** Changes the member count in one statement (no read-modify-write race); never below zero. */
  async adjustTotal(projectId: string, uid: string, delta: number): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ total: () => 'GREATEST(CAST(total AS SIGNED) + :delta, 0)', updatedAt: new Date() })
      .where('_project = :projectId AND _uid = :uid', { projectId: assertProjectId(projectId), uid })
      .setParameter('delta', Math.trunc(delta))
      .execute();
  }
}
