import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DatabaseEntity } from '../entities';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class DatabaseRepository extends ScopedRepository<DatabaseEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, DatabaseEntity);
  }
}
