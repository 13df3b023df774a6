/**
 * @appconda/maintenance — Appwrite 1.3's maintenance task and the retention/cascade handlers of
 * worker-deletes.
 * - apps/maintenance imports `MaintenanceSchedulerModule.forRoot()`: every `_APP_MAINTENANCE_INTERVAL`
 *   one instance (Redis lock per interval) enqueues `audit`, `abuse`, `sessions`, `cacheByTimeStamp`,
 *   `usageStats` deletes jobs with their cut-offs, plus a per-project `cacheByTimeStamp` for abandoned uploads,
 *   and the certificate renewals that are due.
 * - apps/worker-deletes imports `MaintenanceDeletesModule`: `@HandlesJob` providers for those types
 *   and for the `users`/`teams` cascades.
 */
export * from './abuse-retention.handler';
export * from './audit-retention.handler';
export * from './cache-retention.handler';
export * from './maintenance-deletes.module';
export * from './maintenance-scheduler.module';
export * from './maintenance.options';
export * from './maintenance.scheduler';
export * from './maintenance.service';
export * from './project-ids';
export * from './sessions-retention.handler';
export * from './team-cascade.handler';
export * from './usage-retention.handler';
export * from './user-cascade.handler';
