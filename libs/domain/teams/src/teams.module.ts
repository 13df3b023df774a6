import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';
import { UsersModule } from '@appconda/users';

import { MembershipsService } from './memberships.service';
import { TeamsService } from './teams.service';

/**
 * Teams providers only (no routes). Needs DatabaseModule and ConfigModule in the app; enqueues
 * invitation mails and SMS, and creates invited users through the Users lib.
 */
@Module({
  imports: [UsersModule, QueueModule.forProducer(QueueName.Mails, QueueName.Messaging)],
  providers: [TeamsService, MembershipsService],
  exports: [TeamsService, MembershipsService],
})
export class TeamsModule {}
