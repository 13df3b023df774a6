import type { StatPeriod } from '@appconda/database';

/** Project-wide counters the request hook adds for every API request of a project (Appwrite's `requests` and `network`). */
export const REQUESTS_METRIC = 'requests';
export const NETWORK_METRIC = 'network';

/**
 * The order in which labels nest. A point of `documents.requests.read` with `{ databaseId: 'db',
 * collectionId: 'col' }` counts for the project (`documents.requests.read`), for the database
 * (`documents.requests.read:db`) and for the collection (`documents.requests.read:db/col`).
 */
export const LABEL_ORDER = ['databaseId', 'collectionId', 'bucketId', 'functionId', 'provider'] as const;

/** Gauges: counts snapshotted from the tables (per resource after `:`), not summed from requests. */
export const GAUGE_METRICS = ['users.count', 'databases.count', 'collections.count', 'documents.count', 'buckets.count', 'files.count', 'files.storage'] as const;

/** The stats keys one labelled point adds to: the metric, then one key per nesting level of its labels. */
export function statKeys(metric: string, labels: Readonly<Record<string, string>>): string[] {
  const keys = [metric];
  const path: string[] = [];
  for (const label of LABEL_ORDER) {
    const value = labels[label];
    if (!value) continue;
    path.push(value);
    keys.push(`${metric}:${path.join('/')}`);
  }
  return keys;
}

/** A stats key for a resource: `statKey('documents.count', db, col)` → `documents.count:db/col`. */
export function statKey(metric: string, ...path: string[]): string {
  return path.length ? `${metric}:${path.join('/')}` : metric;
}

const ACTIONS = ['Create', 'Read', 'Update', 'Delete'] as const;

/**
 * The request series of one resource kind as usage model fields: `requestFields('files', bucketId)` is
 * `{ filesCreate: 'files.requests.create:<bucketId>', filesRead: …, filesUpdate: …, filesDelete: … }`.
 */
export function requestFields<K extends string>(kind: K, ...path: string[]): Record<`${K}${(typeof ACTIONS)[number]}`, string> {
  return Object.fromEntries(ACTIONS.map((action) => [`${kind}${action}`, statKey(`${kind}.requests.${action.toLowerCase()}`, ...path)])) as Record<
    `${K}${(typeof ACTIONS)[number]}`,
    string
  >;
}

/** A point of a usage series (the 1.3 `metric` model). */
export interface Metric {
  value: number;
  date: string;
}

export interface UsageRange {
  period: StatPeriod;
  /** Period length in seconds. */
  seconds: number;
  /** Points in the series, the current period last. */
  points: number;
}

/** 1.3's usage ranges: 24 hourly points for `24h`, daily points for the others. */
export const USAGE_RANGES: Readonly<Record<string, UsageRange>> = {
  '24h': { period: '1h', seconds: 3600, points: 24 },
  '7d': { period: '1d', seconds: 86400, points: 7 },
  '30d': { period: '1d', seconds: 86400, points: 30 },
  '90d': { period: '1d', seconds: 86400, points: 90 },
};

export const PERIOD_SECONDS: Readonly<Record<StatPeriod, number>> = { '1h': 3600, '1d': 86400 };

/** The start (epoch ms) of the period holding `at`. */
export function periodStart(period: StatPeriod, at: number): number {
  const ms = PERIOD_SECONDS[period] * 1000;
  return Math.floor(at / ms) * ms;
}
