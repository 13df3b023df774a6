import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { BucketEntity } from '../entities/bucket.entity';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class BucketRepository extends ScopedRepository<BucketEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, BucketEntity);
  }
}
