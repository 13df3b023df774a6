import { Module } from '@nestjs/common';

import { UserActivityService } from './user-activity.service';
import { UsersService } from './users.service';

/**
 * Users providers only (no routes), for the Account and Teams libs and for workers. Needs
 * DatabaseModule in the app; uses the identity lib's ProjectContextService when the app has it.
 */
@Module({ providers: [UsersService, UserActivityService], exports: [UsersService, UserActivityService] })
export class UsersModule {}
