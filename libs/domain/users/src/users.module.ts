import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { UserActivityService } from './user-activity.service';
import { UsersService } from './users.service';

/**
 * Users providers only (no routes), for the Account and Teams libs and for workers. Needs
 * DatabaseModule in the app; uses the identity lib's ProjectContextService when the app has it. A user
 * delete enqueues the `users` cascade for worker-deletes.
 */
@Module({ imports: [QueueModule.forProducer(QueueName.Deletes)], providers: [UsersService, UserActivityService], exports: [UsersService, UserActivityService] })
export class UsersModule {}
