import { Injectable } from '@nestjs/common';
import { RequestContext, toApiDate } from '@appconda/core';

import { DatabasesService } from './databases.service';

export interface Metric {
  value: number;
  date: string;
}

type Range = '24h' | '7d' | '30d' | '90d';

/** 1.3's periods: hourly points for 24h, daily points otherwise. */
const PERIODS: Record<Range, { seconds: number; points: number }> = {
  '24h': { seconds: 3600, points: 24 },
  '7d': { seconds: 86400, points: 7 },
  '30d': { seconds: 86400, points: 30 },
  '90d': { seconds: 86400, points: 90 },
};

const DOCUMENT_METRICS = ['documentsCount', 'documentsCreate', 'documentsRead', 'documentsUpdate', 'documentsDelete'];
const COLLECTION_METRICS = ['collectionsCount', 'collectionsCreate', 'collectionsRead', 'collectionsUpdate', 'collectionsDelete'];
const DATABASE_METRICS = ['databasesCount', 'databasesCreate', 'databasesRead', 'databasesUpdate', 'databasesDelete'];

/**
 * Usage of the Databases service. No usage statistics are collected yet, so every metric is the
 * series of zero points 1.3 returns when it has no stats for the range (oldest first, one per period
 * back from now) — the console's graphs render, empty.
 */
@Injectable()
export class UsageService {
  constructor(private readonly databases: DatabasesService) {}

  async databasesUsage(_ctx: RequestContext, range: Range = '30d'): Promise<Record<string, unknown>> {
    return this.series(range, [...DATABASE_METRICS, ...DOCUMENT_METRICS, ...COLLECTION_METRICS]);
  }

  async databaseUsage(ctx: RequestContext, databaseId: string, range: Range = '30d'): Promise<Record<string, unknown>> {
    await this.databases.findDatabase(ctx, databaseId);
    return this.series(range, [...DOCUMENT_METRICS, ...COLLECTION_METRICS]);
  }

  async collectionUsage(ctx: RequestContext, databaseId: string, collectionId: string, range: Range = '30d'): Promise<Record<string, unknown>> {
    await this.databases.findCollection(ctx, databaseId, collectionId);
    return this.series(range, DOCUMENT_METRICS);
  }

  private series(range: Range, metrics: readonly string[]): Record<string, unknown> {
    const { seconds, points } = PERIODS[range];
    const now = Date.now();
    const zeros = (): Metric[] => Array.from({ length: points }, (_, i) => ({ value: 0, date: toApiDate(new Date(now - (points - i) * seconds * 1000)) }));
    return { range, ...Object.fromEntries(metrics.map((metric) => [metric, zeros()])) };
  }
}
