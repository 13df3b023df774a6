import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { toApiDate } from '@appconda/core';
import { StatsRepository } from '@appconda/database';

import { Metric, periodStart, USAGE_RANGES } from './usage.metrics';

/** The ranges the usage routes accept (1.3 WhiteList, default `30d`). */
export const USAGE_RANGE_NAMES = Object.keys(USAGE_RANGES);

/** A usage model: `range` plus one series per requested field. */
export type UsageSeries<F extends string> = { range: string } & Record<F, Metric[]>;

/**
 * The read side of usage for the usage routes: series from the `stats` table, one query per call.
 * 24h is 24 hourly points, 7d/30d/90d daily points; oldest first, the current period last, 0 where
 * nothing was recorded. With `_APP_USAGE_STATS=disabled` every series is empty and `range` is '' (1.3).
 */
@Injectable()
export class UsageStatsService {
  constructor(
    private readonly config: AppConfig,
    private readonly stats: StatsRepository,
  ) {}

  /**
   * `fields` maps each model field to its stats key (see `statKey`), e.g.
   * `{ documentsCount: 'documents.count:db1', documentsCreate: 'documents.requests.create:db1' }`.
   */
  async series<F extends string>(projectId: string, range: string, fields: Readonly<Record<F, string>>, now = Date.now()): Promise<UsageSeries<F>> {
    const names = Object.keys(fields) as F[];
    if (!this.config.get('usage').enabled) {
      return { range: '', ...Object.fromEntries(names.map((name) => [name, []])) } as UsageSeries<F>;
    }
    const { period, seconds, points } = USAGE_RANGES[range] ?? USAGE_RANGES['30d'];
    const step = seconds * 1000;
    const current = periodStart(period, now);
    const starts = Array.from({ length: points }, (_, index) => current - (points - 1 - index) * step);
    const rows = await this.stats.series(projectId, [...new Set(Object.values<string>(fields))], period, new Date(starts[0]));
    const values = new Map(rows.map((row) => [`${row.metric}\u0000${row.time.getTime()}`, row.value]));
    const model: Record<string, unknown> = { range };
    for (const name of names) model[name] = starts.map((start) => ({ value: values.get(`${fields[name]}\u0000${start}`) ?? 0, date: toApiDate(start) }));
    return model as UsageSeries<F>;
  }
}
