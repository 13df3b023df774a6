import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AttributeEntity } from '../entities';
import { CollectionChildRepository } from './collection-child.repository';

export { schemaRowUid } from './collection-child.repository';

/** A collection's attribute rows (their columns are built by worker-databases). */
@Injectable()
export class AttributeRepository extends CollectionChildRepository<AttributeEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, AttributeEntity);
  }
}
