import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { BucketRepository, FileRepository } from '@appconda/database';
import { Metric, USAGE_RANGES, usageDates } from '@appconda/projects';

import { BucketsService } from './buckets.service';

export type { Metric } from '@appconda/projects';

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

/** The ranges the usage routes accept (1.3: 48 half-hours for 24h, days otherwise). */
export const STORAGE_USAGE_RANGES = Object.keys(USAGE_RANGES);

/**
 * Storage usage charts. Appconda has no usage statistics pipeline yet, so, like the users and
 * projects usage routes, the series are derived from the rows that exist now:
 * - `bucketsCreate` / `filesCreate`: buckets and complete files created per period (`$createdAt`);
 * - `bucketsCount`, `filesCount`, `storage` / `filesStorage` (bytes, the `sizeActual` sum): running
 *   totals that end at today's values, going back by subtracting what was created later.
 * Rows already deleted leave no trace, so earlier points only cover what still exists.
 * Reads, updates and deletes are not counted anywhere yet: those series are all zeros.
 */
@Injectable()
export class StorageUsageService {
  constructor(
    private readonly buckets: BucketRepository,
    private readonly bucketsService: BucketsService,
    private readonly config: AppConfig,
    private readonly files: FileRepository,
  ) {}

  async storageUsage(projectId: string, range: string, now = Date.now()): Promise<UsageStorageModel> {
    if (!this.config.get('usage').enabled) {
      // 1.3 answers an empty usage document when statistics are off.
      return { range: '', storage: [], filesCount: [], bucketsCount: [], bucketsCreate: [], bucketsRead: [], bucketsUpdate: [], bucketsDelete: [], filesCreate: [], filesRead: [], filesUpdate: [], filesDelete: [] };
    }
    const { dates, since, period } = this.window(range, now);
    const [bucketsCreated, filesCreated, bucketsTotal, filesTotal] = await Promise.all([
      this.buckets.createdPerPeriod(projectId, since, period),
      this.files.createdPerPeriod(projectId, since, period),
      this.buckets.count(projectId),
      this.files.totals(projectId),
    ]);
    const bucketsCreate = series(dates, (start) => bucketsCreated.get(start) ?? 0);
    const filesCreate = series(dates, (start) => filesCreated.get(start)?.count ?? 0);
    const sizeCreated = series(dates, (start) => filesCreated.get(start)?.size ?? 0);
    const zeros = () => series(dates, () => 0);
    return {
      range,
      storage: runningTotal(filesTotal.size, sizeCreated),
      filesCount: runningTotal(filesTotal.count, filesCreate),
      bucketsCount: runningTotal(bucketsTotal, bucketsCreate),
      bucketsCreate,
      bucketsRead: zeros(),
      bucketsUpdate: zeros(),
      bucketsDelete: zeros(),
      filesCreate,
      filesRead: zeros(),
      filesUpdate: zeros(),
      filesDelete: zeros(),
    };
  }

  /** One bucket's charts; 404 storage_bucket_not_found first, as 1.3 checks the bucket before anything. */
  async bucketUsage(projectId: string, bucketId: string, range: string, now = Date.now()): Promise<UsageBucketsModel> {
    const bucket = await this.bucketsService.find(projectId, bucketId);
    if (!this.config.get('usage').enabled) {
      return { range: '', filesCount: [], filesStorage: [], filesCreate: [], filesRead: [], filesUpdate: [], filesDelete: [] };
    }
    const { dates, since, period } = this.window(range, now);
    const [created, totals] = await Promise.all([
      this.files.createdPerPeriod(projectId, since, period, bucket.internalId),
      this.files.totals(projectId, bucket.internalId),
    ]);
    const filesCreate = series(dates, (start) => created.get(start)?.count ?? 0);
    const sizeCreated = series(dates, (start) => created.get(start)?.size ?? 0);
    const zeros = () => series(dates, () => 0);
    return {
      range,
      filesCount: runningTotal(totals.count, filesCreate),
      filesStorage: runningTotal(totals.size, sizeCreated),
      filesCreate,
      filesRead: zeros(),
      filesUpdate: zeros(),
      filesDelete: zeros(),
    };
  }

  /** The range's period starts (API dates, oldest first), the first start and the period length in seconds. */
  private window(range: string, now: number): { dates: string[]; since: Date; period: number } {
    const dates = usageDates(range, now);
    return { dates, since: new Date(dates[0]), period: USAGE_RANGES[range].period };
  }
}

/** A point per period start; `valueAt` gets the start in epoch ms. */
function series(dates: string[], valueAt: (start: number) => number): Metric[] {
  return dates.map((date) => ({ value: valueAt(Date.parse(date)), date }));
}

/** The running total per period, ending at `total`, from what was created in each period. */
function runningTotal(total: number, created: Metric[]): Metric[] {
  let running = total - created.reduce((sum, point) => sum + point.value, 0);
  return created.map((point) => ({ value: (running += point.value), date: point.date }));
}
