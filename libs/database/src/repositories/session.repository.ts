import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { SessionEntity } from '../entities';
import { MAX_LIST_LIMIT, ScopedRepository } from './scoped.repository';

@Injectable()
export class SessionRepository extends ScopedRepository<SessionEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, SessionEntity);
  }

  listByUser(projectId: string, userInternalId: string): Promise<SessionEntity[]> {
    return this.list(projectId, { where: { userInternalId }, limit: MAX_LIST_LIMIT });
  }

  deleteByUser(projectId: string, userInternalId: string): Promise<number> {
    return this.deleteWhere(projectId, { userInternalId });
  }
}
