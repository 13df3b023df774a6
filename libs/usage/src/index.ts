/**
 * @appconda/usage — usage statistics, end to end (see libs/usage/README.md):
 * - api: `UsageCollectorModule` provides USAGE_RECORDER; counts in memory and enqueues one `v1-usage`
 *   job per flush interval; its onResponse hook counts `requests` and `network` of every project call;
 * - usage service: `UsageWorkerModule.forRoot()` adds the batches to the MariaDB `stats` table (and
 *   writes their points to InfluxDB when it is there: optional) and snapshots the table counts;
 * - usage routes: `UsageStatsModule` / `UsageStatsService.series()` read `stats` as 1.3 models;
 * - worker-deletes: `UsageDeletesModule` removes a deleted project's, database's, collection's or
 *   bucket's stats rows and InfluxDB points.
 */
export * from './influx.client';
export * from './influx.sink';
export * from './usage-aggregator.service';
export * from './usage-collector.module';
export * from './usage-deletes.handler';
export * from './usage-deletes.module';
export * from './usage-points.handler';
export * from './usage-request.hook';
export * from './usage-stats.module';
export * from './usage-stats.service';
export * from './usage-worker.module';
export * from './usage.collector';
export * from './usage.metrics';
export * from './usage.scheduler';
