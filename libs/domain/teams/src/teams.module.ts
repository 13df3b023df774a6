import { Module } from '@nestjs/common';
import { AccountModule } from '@appconda/account';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';
import { UsersModule } from '@appconda/users';

import { MembershipsService } from './memberships.service';
import { TeamsService } from './teams.service';

/**
 * Teams providers only (no routes). Needs DatabaseModule and the identity pipeline in the app; enqueues
 * invitation mails and SMS, creates invited users through the Users lib and signs accepted invitees in
 * through the Account lib's session seam.
 */
@Module({
  imports: [AccountModule, UsersModule, QueueModule.forProducer(QueueName.Mails, QueueName.Messaging)],
  providers: [TeamsService, MembershipsService],
  exports: [TeamsService, MembershipsService],
})
export class TeamsModule {}
