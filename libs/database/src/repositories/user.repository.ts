import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { UserEntity } from '../entities';
import { assertProjectId, ScopedRepository } from './scoped.repository';

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

  /**
   * How many of the project's rows were created per hour or day since `since` (UTC periods, keyed
   * `YYYY-MM-DD HH:00:00`), for usage charts. One grouped statement on the `_created` index.
   */
  async countCreatedPerPeriod(projectId: string, since: Date, period: 'hour' | 'day'): Promise<Map<string, number>> {
    const format = period === 'hour' ? '%Y-%m-%d %H:00:00' : '%Y-%m-%d 00:00:00';
    const rows: { period: string; total: string | number }[] = await this.repo.query(
      'SELECT DATE_FORMAT(`_createdAt`, ?) AS period, COUNT(1) AS total FROM `users` WHERE `_project` = ? AND `_createdAt` >= ? GROUP BY period',
      [format, assertProjectId(projectId), since],
    );
    return new Map(rows.map((row) => [String(row.period), Number(row.total)]));
  }
}
