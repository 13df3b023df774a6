import { Module } from '@nestjs/common';
import { StorageModule } from '@appconda/storage';
import { RedisModule } from '@appconda/transport';

import { AbuseRetentionHandler } from './abuse-retention.handler';
import { AuditRetentionHandler } from './audit-retention.handler';
import { CacheRetentionHandler } from './cache-retention.handler';
import { ExecutionsRetentionHandler } from './executions-retention.handler';
import { SessionsRetentionHandler } from './sessions-retention.handler';
import { TeamCascadeHandler } from './team-cascade.handler';
import { UsageRetentionHandler } from './usage-retention.handler';
import { UserCascadeHandler } from './user-cascade.handler';

export const MAINTENANCE_DELETES_HANDLERS = [
  AbuseRetentionHandler,
  AuditRetentionHandler,
  CacheRetentionHandler,
  ExecutionsRetentionHandler,
  SessionsRetentionHandler,
  TeamCascadeHandler,
  UsageRetentionHandler,
  UserCascadeHandler,
];

/**
 * The deletes-queue handlers for retention (audit, abuse, sessions, cacheByTimeStamp, usageStats, executions) and the
 * identity cascades (users, teams), registered with `@HandlesJob` for worker-deletes' dispatch.
 * Needs the app's global DatabaseModule.forRoot() and ConfigModule.
 */
@Module({
  imports: [RedisModule, StorageModule],
  providers: MAINTENANCE_DELETES_HANDLERS,
  exports: MAINTENANCE_DELETES_HANDLERS,
})
export class MaintenanceDeletesModule {}
