import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { UserEntity } from '../entities';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class UserRepository extends ScopedRepository<UserEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, UserEntity);
  }

  findByEmail(projectId: string, email: string): Promise<UserEntity | null> {
    return this.findOne(projectId, { email });
  }

  findByPhone(projectId: string, phone: string): Promise<UserEntity | null> {
    return this.findOne(projectId, { phone });
  }
}
