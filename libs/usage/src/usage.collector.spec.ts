import { AppConfig } from '@appconda/config';
import { QueueName, UsageJob } from '@appconda/contracts';
import { JobQueue } from '@appconda/queue';

import { UsageCollector } from './usage.collector';
import { batchPoints, pointTime } from './usage-points.handler';
import { statKeys } from './usage.metrics';
import { toLine } from './influx.client';

function build(enabled = true) {
  const add = jest.fn<Promise<string>, [UsageJob]>().mockResolvedValue('1');
  const config = { get: () => ({ enabled }) } as unknown as AppConfig;
  const sut = new UsageCollector(config, { add } as unknown as JobQueue<QueueName.Usage>, { flushIntervalMs: 60_000 });
  return { sut, add };
}

describe('UsageCollector', () => {
  it('sums increments per project, metric and labels and flushes them as one job', async () => {
    const { sut, add } = build();
    sut.request('p1', 100, 250);
    sut.request('p1', 0, 50);
    sut.metric('p1', 'documents.requests.read', { databaseId: 'db', collectionId: 'c1' });
    sut.metric('p1', 'documents.requests.read', { databaseId: 'db', collectionId: 'c1' });
    sut.metric('p1', 'documents.requests.read', { databaseId: 'db', collectionId: 'c2' });
    sut.metric('p2', 'users.requests.create', {});
    expect(add).not.toHaveBeenCalled();
    expect(sut.pending).toBe(5);

    await sut.flush();
    expect(add).toHaveBeenCalledTimes(1);
    const job = add.mock.calls[0][0];
    expect(Number.isNaN(Date.parse(job.time))).toBe(false);
    expect(job.points).toEqual(
      expect.arrayContaining([
        { projectId: 'p1', metric: 'requests', labels: {}, value: 2 },
        { projectId: 'p1', metric: 'network', labels: {}, value: 400 },
        { projectId: 'p1', metric: 'documents.requests.read', labels: { databaseId: 'db', collectionId: 'c1' }, value: 2 },
        { projectId: 'p1', metric: 'documents.requests.read', labels: { databaseId: 'db', collectionId: 'c2' }, value: 1 },
        { projectId: 'p2', metric: 'users.requests.create', labels: {}, value: 1 },
      ]),
    );
    expect(job.points).toHaveLength(5);
    expect(sut.pending).toBe(0);

    // Nothing counted since: no empty job.
    await sut.flush();
    expect(add).toHaveBeenCalledTimes(1);
  });

  it('never counts the console project, and counts nothing when statistics are disabled', async () => {
    const on = build();
    on.sut.request('console', 10, 10);
    on.sut.metric('console', 'users.requests.create', {});
    on.sut.request('', 10, 10);
    expect(on.sut.pending).toBe(0);

    const off = build(false);
    off.sut.request('p1', 10, 10);
    off.sut.metric('p1', 'users.requests.create', {});
    await off.sut.flush();
    expect(off.add).not.toHaveBeenCalled();
  });

  it('keeps the counts of a flush that could not enqueue for the next one', async () => {
    const { sut, add } = build();
    add.mockRejectedValueOnce(new Error('redis down'));
    sut.metric('p1', 'files.requests.read', { bucketId: 'b' });
    await sut.flush();
    sut.metric('p1', 'files.requests.read', { bucketId: 'b' });
    await sut.flush();
    expect(add).toHaveBeenCalledTimes(2);
    expect(add.mock.calls[1][0].points).toEqual([{ projectId: 'p1', metric: 'files.requests.read', labels: { bucketId: 'b' }, value: 2 }]);
  });

  it('flushes the last counts on shutdown and stops its timer', async () => {
    const { sut, add } = build();
    sut.onModuleInit();
    sut.request('p1', 1, 1);
    await sut.beforeApplicationShutdown();
    expect(add).toHaveBeenCalledTimes(1);
  });
});

describe('usage points', () => {
  it('gives every job its own nanosecond and a retried job the same ones', () => {
    const time = '2026-01-02T03:04:05.678Z';
    expect(pointTime(time, '41')).toBe(1767323045678000041n);
    expect(pointTime(time, '41')).toBe(pointTime(time, '41'));
    expect(pointTime(time, '42')).not.toBe(pointTime(time, '41'));
    expect(pointTime(time, 'custom-id')).toBe(pointTime(time, 'custom-id'));
  });

  it('turns a batch into tagged line-protocol points, merging points that would collide', () => {
    const points = batchPoints(
      {
        time: '2026-01-02T03:04:05.000Z',
        points: [
          { projectId: 'p1', metric: 'documents.requests.read', labels: { databaseId: 'db', collectionId: '' }, value: 1 },
          { projectId: 'p1', metric: 'documents.requests.read', labels: { databaseId: 'db' }, value: 2 },
        ],
      },
      '7',
    );
    expect(points).toHaveLength(1);
    expect(toLine(points[0])).toBe('usage,databaseId=db,metric=documents.requests.read,project=p1 value=3 1767323045000000007');
    expect(toLine({ measurement: 'usage', tags: { metric: 'a b,c=d' }, value: 1, time: 1n })).toBe('usage,metric=a\\ b\\,c\\=d value=1 1');
  });

  it('rolls labelled points up to the project, database and collection', () => {
    expect(statKeys('documents.requests.read', { collectionId: 'c', databaseId: 'd' })).toEqual(['documents.requests.read', 'documents.requests.read:d', 'documents.requests.read:d/c']);
    expect(statKeys('requests', {})).toEqual(['requests']);
    expect(statKeys('sessions.requests.create', { provider: 'email' })).toEqual(['sessions.requests.create', 'sessions.requests.create:email']);
  });
});
