import { Injectable } from '@nestjs/common';
import { SessionsService } from '@appconda/account';
import { RequestContext, setEventPayload } from '@appconda/core';
import { UserEntity } from '@appconda/database';
import { identityOf } from '@appconda/identity';
import { UsersService } from '@appconda/users';

import { OAuth2Accounts, OAuth2SessionSource } from './oauth2-accounts';
import { OAuth2Web } from './oauth2-web';

/** OAuth2Accounts over the users lib (user creation with the project's limit) and the account lib (sessions with cookies). */
@Injectable()
export class AccountOAuth2Accounts implements OAuth2Accounts {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  createUser(ctx: RequestContext, input: { email: string | null; name: string }): Promise<UserEntity> {
    // No password: the user signs in through the provider (or sets one later via a recovery).
    return this.users.createUser(identityOf(ctx).project.id, { userId: 'unique()', email: input.email, name: input.name }, ctx);
  }

  async createSession(ctx: RequestContext, web: OAuth2Web, user: UserEntity, source: OAuth2SessionSource): Promise<{ $id: string; cookieValue: string }> {
    const started = await this.sessions.startSession(ctx, web, user, source);
    // The redirect route answers a URL; its session event carries the session (1.3).
    setEventPayload(ctx, started.session);
    return { $id: started.session.$id, cookieValue: started.cookieValue };
  }
}
