import { Module } from '@nestjs/common';
import { UsageStatsModule } from '@appconda/usage';

import { UsersUsageService } from './usage.service';
import { UsersController } from './users.controller';
import { UsersModule } from './users.module';

/** The /v1/users routes. */
@Module({ imports: [UsersModule, UsageStatsModule], controllers: [UsersController], providers: [UsersUsageService] })
export class UsersApiModule {}
