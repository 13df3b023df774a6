import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { SessionEntity } from '../entities';
import { assertProjectId, MAX_LIST_LIMIT, ScopedRepository } from './scoped.repository';

@Injectable()
export class SessionRepository extends ScopedRepository<SessionEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, SessionEntity);
  }

  listByUser(projectId: string, userInternalId: string): Promise<SessionEntity[]> {
    return this.list(projectId, { where: { userInternalId }, limit: MAX_LIST_LIMIT });
  }

  deleteByUser(projectId: string, userInternalId: string): Promise<number> {
    return this.deleteWhere(projectId, { userInternalId });
  }

  /**
   * How many of the project's rows were created per hour or day since `since` (UTC periods, keyed
   * `YYYY-MM-DD HH:00:00`), for usage charts. One grouped statement on the `_created` index.
   */
  async countCreatedPerPeriod(projectId: string, since: Date, period: 'hour' | 'day'): Promise<Map<string, number>> {
    const format = period === 'hour' ? '%Y-%m-%d %H:00:00' : '%Y-%m-%d 00:00:00';
    const rows: { period: string; total: string | number }[] = await this.repo.query(
      'SELECT DATE_FORMAT(`_createdAt`, ?) AS period, COUNT(1) AS total FROM `sessions` WHERE `_project` = ? AND `_createdAt` >= ? GROUP BY period',
      [format, assertProjectId(projectId), since],
    );
    return new Map(rows.map((row) => [String(row.period), Number(row.total)]));
  }
}
