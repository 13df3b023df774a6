import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PlatformEntity } from '../entities';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class PlatformRepository extends ScopedRepository<PlatformEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, PlatformEntity);
  }
}
