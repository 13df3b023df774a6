import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { IndexEntity } from '../entities';
import { CollectionChildRepository } from './collection-child.repository';

/** A collection's index rows (the real indexes are built by worker-databases). */
@Injectable()
export class IndexRepository extends CollectionChildRepository<IndexEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, IndexEntity);
  }
}
