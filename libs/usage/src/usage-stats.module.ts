import { Module } from '@nestjs/common';

import { UsageStatsService } from './usage-stats.service';

/** The read side for the usage routes of the domain libs (needs the app's DatabaseModule.forRoot()). */
@Module({ providers: [UsageStatsService], exports: [UsageStatsService] })
export class UsageStatsModule {}
