import { UsageJob } from '@appconda/contracts';

import { batchId, batchPoints, batchRows } from './usage-points.handler';

describe('usage batches', () => {
  const job: UsageJob = {
    time: '2030-05-06T07:08:09.010Z',
    points: [
      { projectId: 'p1', metric: 'documents.requests.read', labels: { databaseId: 'db', collectionId: 'col' }, value: 2 },
      { projectId: 'p1', metric: 'documents.requests.read', labels: { databaseId: 'db', collectionId: 'other' }, value: 1 },
      { projectId: 'p1', metric: 'requests', labels: {} as Record<string, string>, value: Number.NaN },
    ],
  };

  it('adds each point to its metric and every label level, in the hour and the day of the flush', () => {
    const rows = batchRows(job).map((row) => `${row.metric} ${row.period} ${row.time.toISOString()} ${row.value}`);
    expect(rows.sort()).toEqual(
      [
        'documents.requests.read 1h 2030-05-06T07:00:00.000Z 3',
        'documents.requests.read 1d 2030-05-06T00:00:00.000Z 3',
        'documents.requests.read:db 1h 2030-05-06T07:00:00.000Z 3',
        'documents.requests.read:db 1d 2030-05-06T00:00:00.000Z 3',
        'documents.requests.read:db/col 1h 2030-05-06T07:00:00.000Z 2',
        'documents.requests.read:db/col 1d 2030-05-06T00:00:00.000Z 2',
        'documents.requests.read:db/other 1h 2030-05-06T07:00:00.000Z 1',
        'documents.requests.read:db/other 1d 2030-05-06T00:00:00.000Z 1',
      ].sort(),
    );
  });

  it('names a batch by flush time, then job id, so ids sort by time', () => {
    expect(batchId(job, '42')).toBe('2030-05-06T07:08:09.010Z#42');
    expect(batchId(job, '42') < batchId({ ...job, time: '2030-05-06T07:08:09.011Z' }, '1')).toBe(true);
  });

  it('gives InfluxDB points the flush time plus the job sequence, skipping malformed points', () => {
    const points = batchPoints(job, '42');
    expect(points).toHaveLength(2);
    expect(points[0].time).toBe(BigInt(Date.parse(job.time)) * 1_000_000n + 42n);
  });
});
