import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DomainEntity } from '../entities';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class DomainRepository extends ScopedRepository<DomainEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, DomainEntity);
  }

  findByDomain(projectId: string, domain: string): Promise<DomainEntity | null> {
    return this.findOne(projectId, { domain });
  }
}
