import { Injectable } from '@nestjs/common';
import { Metric, requestFields as requests, statKey, USAGE_RANGE_NAMES, UsageStatsService } from '@appconda/usage';

import { BucketsService } from './buckets.service';

export type { Metric } from '@appconda/usage';

/** The 1.3 `usageStorage` model (`GET /v1/storage/usage`). */
export interface UsageStorageModel {
  range: string;
  storage: Metric[];
  filesCount: Metric[];
  bucketsCount: Metric[];
  bucketsCreate: Metric[];
  bucketsRead: Metric[];
  bucketsUpdate: Metric[];
  bucketsDelete: Metric[];
  filesCreate: Metric[];
  filesRead: Metric[];
  filesUpdate: Metric[];
  filesDelete: Metric[];
}

/** The 1.3 `usageBuckets` model (`GET /v1/storage/{bucketId}/usage`). */
export interface UsageBucketsModel {
  range: string;
  filesCount: Metric[];
  filesStorage: Metric[];
  filesCreate: Metric[];
  filesRead: Metric[];
  filesUpdate: Metric[];
  filesDelete: Metric[];
}

/** The ranges the usage routes accept (1.3: 24 hours for 24h, days otherwise). */
export const STORAGE_USAGE_RANGES = USAGE_RANGE_NAMES;

/** Storage usage charts from the usage statistics: counts, stored bytes and requests, per project or bucket. */
@Injectable()
export class StorageUsageService {
  constructor(
    private readonly bucketsService: BucketsService,
    private readonly stats: UsageStatsService,
  ) {}

  storageUsage(projectId: string, range: string): Promise<UsageStorageModel> {
    return this.stats.series(projectId, range, {
      storage: 'files.storage',
      filesCount: 'files.count',
      bucketsCount: 'buckets.count',
      ...requests('buckets'),
      ...requests('files'),
    }) as Promise<UsageStorageModel>;
  }

  /** One bucket's charts; 404 storage_bucket_not_found first, as 1.3 checks the bucket before anything. */
  async bucketUsage(projectId: string, bucketId: string, range: string): Promise<UsageBucketsModel> {
    await this.bucketsService.find(projectId, bucketId);
    return this.stats.series(projectId, range, {
      filesCount: statKey('files.count', bucketId),
      filesStorage: statKey('files.storage', bucketId),
      ...requests('files', bucketId),
    }) as Promise<UsageBucketsModel>;
  }
}
