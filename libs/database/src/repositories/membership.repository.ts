import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { MembershipEntity } from '../entities';
import { ListOptions, ScopedRepository } from './scoped.repository';

@Injectable()
export class MembershipRepository extends ScopedRepository<MembershipEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, MembershipEntity);
  }

  findByTeamAndUser(projectId: string, teamInternalId: string, userInternalId: string): Promise<MembershipEntity | null> {
    return this.findOne(projectId, { teamInternalId, userInternalId });
  }

  listByTeam(projectId: string, teamInternalId: string, options: Omit<ListOptions<MembershipEntity>, 'where'> = {}): Promise<MembershipEntity[]> {
    return this.list(projectId, { ...options, where: { teamInternalId } });
  }

  listByUser(projectId: string, userInternalId: string, options: Omit<ListOptions<MembershipEntity>, 'where'> = {}): Promise<MembershipEntity[]> {
    return this.list(projectId, { ...options, where: { userInternalId } });
  }
}
