import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { KeyEntity } from '../entities';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class KeyRepository extends ScopedRepository<KeyEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, KeyEntity);
  }

  /** The key whose (already hashed or raw, as stored) secret matches, within the project. */
  findBySecret(projectId: string, secret: string): Promise<KeyEntity | null> {
    return this.findOne(projectId, { secret });
  }

  /** Records use of a key without touching `_updatedAt` (that marks edits, not use). */
  async touch(projectId: string, uid: string, accessedAt = new Date()): Promise<void> {
    await this.repo.update(this.scoped(projectId, { uid }), { accessedAt });
  }
}
