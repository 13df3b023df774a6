import { Module } from '@nestjs/common';

import { AccountController } from './account.controller';
import { AccountModule } from './account.module';
import { SessionsController } from './sessions.controller';
import { VerificationController } from './verification.controller';

/** The Account service of the REST API: `/v1/account*` except OAuth2. */
@Module({
  imports: [AccountModule],
  controllers: [AccountController, SessionsController, VerificationController],
})
export class AccountApiModule {}
