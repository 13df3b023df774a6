import { Module } from '@nestjs/common';
import { DatabaseModule } from '@appconda/database';
import { MaintenanceSchedulerModule } from '@appconda/maintenance';

/**
 * Appwrite's maintenance task: every `_APP_MAINTENANCE_INTERVAL` seconds (first run shortly after
 * boot) it enqueues the retention deletes jobs; worker-deletes does the deleting.
 */
@Module({
  imports: [DatabaseModule.forRoot(), MaintenanceSchedulerModule.forRoot()],
})
export class MaintenanceModule {}
