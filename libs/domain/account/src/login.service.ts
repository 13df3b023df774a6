import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { ErrorType } from '@appconda/contracts';
import { AppException, RequestContext, toApiDate } from '@appconda/core';
import { UserEntity, UserRepository } from '@appconda/database';
import { CONSOLE_PROJECT_ID, identityOf } from '@appconda/identity';
import { TokenType } from '@appconda/auth';
import { SessionModel, TokenModel, toTokenModel, UsersService } from '@appconda/users';

import { assertAuthMethod, AuthMethod, projectClients, seesSecrets } from './account.context';
import { assertRedirectUrl, withQuery } from './client-origin';
import { SessionsService } from './sessions.service';
import { phoneCode, TokensService } from './tokens.service';
import { WebExchange } from './web-exchange';

/** Session-creating flows of the account API: email/password, anonymous, magic URL and phone code. */
@Injectable()
export class LoginService {
  constructor(
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly userRows: UserRepository,
  ) {}

  /**
   * POST /v1/account/sessions/email: a wrong email or password is the same 401 user_invalid_credentials.
   * An imported (non-argon2) hash is replaced by an argon2 one in the session's transaction (1.3).
   */
  async emailSession(ctx: RequestContext, web: WebExchange, email: string, password: string): Promise<SessionModel> {
    assertAuthMethod(ctx, AuthMethod.EmailPassword);
    const user = await this.userRows.findByEmail(ctx.projectId, email.toLowerCase());
    if (!user || !(await this.users.checkPassword(user, password))) throw new AppException(ErrorType.UserInvalidCredentials);
    if (user.status === false) throw new AppException(ErrorType.UserBlocked);
    const userChanges = await this.users.upgradedCredentials(user, password);
    return this.sessions.createSession(ctx, web, user, { provider: 'email', providerUid: user.email ?? '', userChanges });
  }

  /** POST /v1/account/sessions/anonymous: guests only, never on the console. */
  async anonymousSession(ctx: RequestContext, web: WebExchange): Promise<SessionModel> {
    assertAuthMethod(ctx, AuthMethod.Anonymous);
    const identity = identityOf(ctx);
    if (identity.project.id === CONSOLE_PROJECT_ID) throw new AppException(ErrorType.UserAnonymousConsoleProhibited);
    if (identity.user) throw new AppException(ErrorType.UserSessionAlreadyExists);
    const user = await this.users.createUser(ctx.projectId, { userId: 'unique()' }, ctx);
    return this.sessions.createSession(ctx, web, user, { provider: 'anonymous' });
  }

  /**
   * POST /v1/account/sessions/magic-url: finds or creates the user of `email`, stores a one-hour login
   * token and queues the mail whose link carries `userId`, `secret`, `expire` and `project`.
   */
  async createMagicUrl(ctx: RequestContext, web: WebExchange, userId: string, email: string, url: string | undefined): Promise<TokenModel> {
    assertAuthMethod(ctx, AuthMethod.MagicUrl);
    if (!this.config.get('smtp').enabled) throw new AppException(ErrorType.GeneralSmtpDisabled);
    const target = url ? assertRedirectUrl(url, projectClients(ctx, web)) : new URL(`${web.protocol}://${web.hostname}/auth/magic-url`);
    const lowered = email.toLowerCase();
    const user = (await this.userRows.findByEmail(ctx.projectId, lowered)) ?? (await this.users.createUser(ctx.projectId, { userId, email: lowered }, ctx));
    const { token, secret } = await this.tokens.issue(ctx, user, TokenType.MagicUrl);
    const link = withQuery(target, { userId: user.uid, secret, expire: toApiDate(token.expire), project: ctx.projectId });
    await this.tokens.sendMail(ctx, user, 'magicSession', link);
    return toTokenModel(token, seesSecrets(ctx) ? secret : '');
  }

  /** PUT /v1/account/sessions/magic-url: the link's secret becomes a session and proves the email. */
  async confirmMagicUrl(ctx: RequestContext, web: WebExchange, userId: string, secret: string): Promise<SessionModel> {
    assertAuthMethod(ctx, AuthMethod.MagicUrl);
    const user = await this.users.get(ctx.projectId, userId);
    const token = await this.tokens.find(user, TokenType.MagicUrl, secret);
    if (!token) throw new AppException(ErrorType.UserInvalidToken);
    if (user.status === false) throw new AppException(ErrorType.UserBlocked);
    await this.tokens.consume(ctx, token);
    const verified = user.emailVerification ? user : await this.users.updateEmailVerification(ctx.projectId, user.uid, true);
    return this.sessions.createSession(ctx, web, verified, { provider: 'magic-url', providerUid: verified.email ?? '' });
  }

  /** POST /v1/account/sessions/phone: finds or creates the user of `phone` and texts a 6-digit code (15 minutes). */
  async createPhoneSession(ctx: RequestContext, userId: string, phone: string): Promise<TokenModel> {
    assertAuthMethod(ctx, AuthMethod.Phone);
    if (!this.config.get('sms').enabled) throw new AppException(ErrorType.GeneralPhoneDisabled);
    const user = (await this.userRows.findByPhone(ctx.projectId, phone)) ?? (await this.users.createUser(ctx.projectId, { userId, phone }, ctx));
    const code = phoneCode();
    const { token } = await this.tokens.issue(ctx, user, TokenType.Phone, code);
    await this.tokens.sendCode(ctx, phone, code);
    return toTokenModel(token, seesSecrets(ctx) ? code : '');
  }

  /** PUT /v1/account/sessions/phone: the texted code becomes a session and proves the phone. */
  async confirmPhoneSession(ctx: RequestContext, web: WebExchange, userId: string, secret: string): Promise<SessionModel> {
    assertAuthMethod(ctx, AuthMethod.Phone);
    const user = await this.users.get(ctx.projectId, userId);
    const token = await this.tokens.find(user, TokenType.Phone, secret);
    if (!token) throw new AppException(ErrorType.UserInvalidToken);
    if (user.status === false) throw new AppException(ErrorType.UserBlocked);
    await this.tokens.consume(ctx, token);
    const verified: UserEntity = user.phoneVerification ? user : await this.users.updatePhoneVerification(ctx.projectId, user.uid, true);
    return this.sessions.createSession(ctx, web, verified, { provider: 'phone', providerUid: verified.phone ?? '' });
  }
}
