import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { BucketEntity } from '../entities/bucket.entity';
import { assertProjectId, ScopedRepository } from './scoped.repository';

@Injectable()
export class BucketRepository extends ScopedRepository<BucketEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, BucketEntity);
  }

  /** Buckets created since `since`, counted per `periodSeconds`-long UTC period (start in epoch ms → count). */
  async createdPerPeriod(projectId: string, since: Date, periodSeconds: number): Promise<Map<number, number>> {
    const rows: { slot: string | number; total: string | number }[] = await this.repo.query(
      'SELECT TIMESTAMPDIFF(SECOND, \'1970-01-01 00:00:00\', `_createdAt`) DIV ? AS slot, COUNT(1) AS total FROM `buckets` WHERE `_project` = ? AND `_createdAt` >= ? GROUP BY slot',
      [periodSeconds, assertProjectId(projectId), since],
    );
    return new Map(rows.map((row) => [Number(row.slot) * periodSeconds * 1000, Number(row.total)]));
  }
}
