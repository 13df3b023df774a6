import { AppConfig } from '@appconda/config';
import { StatsRepository } from '@appconda/database';

import { UsageStatsService } from './usage-stats.service';

function build(enabled = true, rows: { metric: string; time: Date; value: number }[] = []) {
  const series = jest.fn().mockResolvedValue(rows.map((row) => ({ ...row, projectId: 'p1', period: '1h' })));
  const config = { get: () => ({ enabled }) } as unknown as AppConfig;
  return { sut: new UsageStatsService(config, { series } as unknown as StatsRepository), series };
}

describe('UsageStatsService', () => {
  const now = Date.parse('2024-03-10T13:47:00Z');

  it('answers 24 hourly points for 24h, oldest first, zero where nothing was stored, in one query', async () => {
    const { sut, series } = build(true, [
      { metric: 'users.count', time: new Date('2024-03-10T13:00:00Z'), value: 5 },
      { metric: 'users.requests.read', time: new Date('2024-03-10T12:00:00Z'), value: 3 },
    ]);
    const model = await sut.series('p1', '24h', { usersCount: 'users.count', usersRead: 'users.requests.read' }, now);
    expect(series).toHaveBeenCalledTimes(1);
    expect(series).toHaveBeenCalledWith('p1', ['users.count', 'users.requests.read'], '1h', new Date('2024-03-09T14:00:00Z'));
    expect(model.range).toBe('24h');
    expect(model.usersCount).toHaveLength(24);
    expect(model.usersCount[0]).toEqual({ value: 0, date: '2024-03-09T14:00:00.000+00:00' });
    expect(model.usersCount[23]).toEqual({ value: 5, date: '2024-03-10T13:00:00.000+00:00' });
    expect(model.usersRead[22]).toEqual({ value: 3, date: '2024-03-10T12:00:00.000+00:00' });
  });

  it('answers daily points for 7d/30d/90d', async () => {
    const { sut, series } = build();
    const model = await sut.series('p1', '7d', { buckets: 'buckets.count' }, now);
    expect(series.mock.calls[0][2]).toBe('1d');
    expect(model.buckets.map((point) => point.date.slice(0, 10))).toEqual(['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10']);
    expect((await sut.series('p1', '90d', { buckets: 'buckets.count' }, now)).buckets).toHaveLength(90);
  });

  it('answers empty series when statistics are disabled (1.3)', async () => {
    const { sut, series } = build(false);
    expect(await sut.series('p1', '30d', { buckets: 'buckets.count' }, now)).toEqual({ range: '', buckets: [] });
    expect(series).not.toHaveBeenCalled();
  });
});
