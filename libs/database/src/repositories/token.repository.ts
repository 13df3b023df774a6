import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { TokenEntity } from '../entities';
import { MAX_LIST_LIMIT, ScopedRepository } from './scoped.repository';

@Injectable()
export class TokenRepository extends ScopedRepository<TokenEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, TokenEntity);
  }

  listByUser(projectId: string, userInternalId: string): Promise<TokenEntity[]> {
    return this.list(projectId, { where: { userInternalId }, limit: MAX_LIST_LIMIT });
  }

  deleteByUser(projectId: string, userInternalId: string): Promise<number> {
    return this.deleteWhere(projectId, { userInternalId });
  }
}
