import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';
import { UsersModule } from '@appconda/users';

import { AccountService } from './account.service';
import { LoginService } from './login.service';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';
import { VerificationService } from './verification.service';

const SERVICES = [AccountService, LoginService, SessionsService, TokensService, VerificationService];

/**
 * Account providers (no routes). `SessionsService.createSession` is the seam the OAuth2 redirect
 * handler uses to log a user in with cookies. Needs DatabaseModule and the identity pipeline in the app.
 */
@Module({
  imports: [UsersModule, QueueModule.forProducer(QueueName.Mails, QueueName.Messaging)],
  providers: SERVICES,
  exports: SERVICES,
})
export class AccountModule {}
