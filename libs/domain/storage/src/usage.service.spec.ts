import { AppException, ErrorType } from '@appconda/core';
import type { AppConfig } from '@appconda/config';
import type { BucketRepository, FileRepository } from '@appconda/database';

import type { BucketsService } from './buckets.service';
import { StorageUsageService } from './usage.service';

const DAY = 86_400_000;
// 2026-03-10 15:47 UTC: the 30d window runs from 2026-02-09 00:00 to the 2026-03-10 point.
const NOW = Date.UTC(2026, 2, 10, 15, 47);
const TODAY = Date.UTC(2026, 2, 10);

function build(options: { enabled?: boolean; bucket?: boolean } = {}) {
  const buckets = {
    createdPerPeriod: jest.fn().mockResolvedValue(new Map([[TODAY, 1], [TODAY - 2 * DAY, 2]])),
    count: jest.fn().mockResolvedValue(4),
  };
  const files = {
    createdPerPeriod: jest.fn().mockResolvedValue(new Map([[TODAY, { count: 2, size: 300 }], [TODAY - DAY, { count: 1, size: 50 }]])),
    totals: jest.fn().mockResolvedValue({ count: 5, size: 1000 }),
  };
  const bucketsService = {
    find: jest.fn(async () => {
      if (options.bucket === false) throw new AppException(ErrorType.StorageBucketNotFound);
      return { uid: 'photos', internalId: '7' };
    }),
  };
  const config = { get: jest.fn(() => ({ enabled: options.enabled ?? true })) };
  const sut = new StorageUsageService(buckets as unknown as BucketRepository, bucketsService as unknown as BucketsService, config as unknown as AppConfig, files as unknown as FileRepository);
  return { sut, buckets, files, bucketsService };
}

describe('StorageUsageService', () => {
  it('charts 30 daily points ending today, with running totals ending at the current values', async () => {
    const { sut, buckets, files } = build();
    const usage = await sut.storageUsage('p1', '30d', NOW);

    expect(usage.range).toBe('30d');
    expect(usage.bucketsCount).toHaveLength(30);
    expect(usage.bucketsCount[0].date).toBe('2026-02-09T00:00:00.000+00:00');
    expect(usage.bucketsCount.at(-1)!.date).toBe('2026-03-10T00:00:00.000+00:00');
    expect(buckets.createdPerPeriod).toHaveBeenCalledWith('p1', new Date(TODAY - 29 * DAY), 86400);
    expect(files.createdPerPeriod).toHaveBeenCalledWith('p1', new Date(TODAY - 29 * DAY), 86400);

    expect(usage.bucketsCreate.slice(-3).map((p) => p.value)).toEqual([2, 0, 1]);
    expect(usage.bucketsCount.slice(-4).map((p) => p.value)).toEqual([1, 3, 3, 4]);
    expect(usage.filesCreate.slice(-2).map((p) => p.value)).toEqual([1, 2]);
    expect(usage.filesCount.slice(-3).map((p) => p.value)).toEqual([2, 3, 5]);
    expect(usage.storage.slice(-3).map((p) => p.value)).toEqual([650, 700, 1000]);
    for (const zeros of [usage.bucketsRead, usage.bucketsUpdate, usage.bucketsDelete, usage.filesRead, usage.filesUpdate, usage.filesDelete]) {
      expect(zeros).toHaveLength(30);
      expect(zeros.every((p) => p.value === 0)).toBe(true);
    }
  });

  it('uses 48 half-hours for 24h and 7 or 90 days for the other ranges', async () => {
    const { sut, files } = build();
    const day = await sut.storageUsage('p1', '24h', NOW);
    expect(day.storage).toHaveLength(48);
    expect(day.storage.at(-1)!.date).toBe('2026-03-10T15:30:00.000+00:00');
    expect(files.createdPerPeriod).toHaveBeenLastCalledWith('p1', new Date(Date.UTC(2026, 2, 9, 16, 0)), 1800);
    expect((await sut.storageUsage('p1', '7d', NOW)).filesCount).toHaveLength(7);
    expect((await sut.storageUsage('p1', '90d', NOW)).filesCount).toHaveLength(90);
  });

  it('charts one bucket from its own files', async () => {
    const { sut, files } = build();
    const usage = await sut.bucketUsage('p1', 'photos', '7d', NOW);
    expect(files.createdPerPeriod).toHaveBeenCalledWith('p1', new Date(TODAY - 6 * DAY), 86400, '7');
    expect(files.totals).toHaveBeenCalledWith('p1', '7');
    expect(usage.filesCount.map((p) => p.value)).toEqual([2, 2, 2, 2, 2, 3, 5]);
    expect(usage.filesStorage.at(-1)!.value).toBe(1000);
    expect(usage.filesCreate.at(-1)!.value).toBe(2);
    expect(usage.filesDelete.every((p) => p.value === 0)).toBe(true);
  });

  it('answers 404 storage_bucket_not_found for an unknown bucket, even with statistics off', async () => {
    const { sut } = build({ bucket: false, enabled: false });
    await expect(sut.bucketUsage('p1', 'nope', '30d', NOW)).rejects.toMatchObject({ type: 'storage_bucket_not_found' });
  });

  it('answers empty documents when _APP_USAGE_STATS is disabled', async () => {
    const { sut, files } = build({ enabled: false });
    expect((await sut.storageUsage('p1', '30d', NOW)).storage).toEqual([]);
    expect(await sut.bucketUsage('p1', 'photos', '30d', NOW)).toMatchObject({ range: '', filesCount: [] });
    expect(files.totals).not.toHaveBeenCalled();
  });
});
