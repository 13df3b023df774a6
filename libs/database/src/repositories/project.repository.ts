import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ProjectEntity } from '../entities';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class ProjectRepository extends ScopedRepository<ProjectEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, ProjectEntity);
  }
}
