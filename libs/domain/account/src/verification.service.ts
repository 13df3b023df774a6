import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { ErrorType } from '@appconda/contracts';
import { AppException, RequestContext, toApiDate } from '@appconda/core';
import { UserRepository } from '@appconda/database';
import { TokenType } from '@appconda/auth';
import { TokenModel, toTokenModel, UsersService } from '@appconda/users';

import { currentUser, projectClients, seesSecrets } from './account.context';
import { assertRedirectUrl, withQuery } from './client-origin';
import { phoneCode, TokensService } from './tokens.service';
import { WebExchange } from './web-exchange';

/** Email and phone verification, and password recovery, of the account API. */
@Injectable()
export class VerificationService {
  constructor(
    private readonly config: AppConfig,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly userRows: UserRepository,
  ) {}

  /** POST /v1/account/verification: mails the signed-in user a link `url?userId=&secret=&expire=`. */
  async createEmailVerification(ctx: RequestContext, web: WebExchange, url: string): Promise<TokenModel> {
    this.assertSmtp();
    const target = assertRedirectUrl(url, projectClients(ctx, web));
    const { user } = currentUser(ctx);
    const { token, secret } = await this.tokens.issue(ctx, user, TokenType.Verification);
    await this.tokens.sendMail(ctx, user, 'verification', withQuery(target, { userId: user.uid, secret, expire: toApiDate(token.expire) }));
    return toTokenModel(token, seesSecrets(ctx) ? secret : '');
  }

  /** PUT /v1/account/verification: a valid link secret marks the email verified. */
  async confirmEmailVerification(ctx: RequestContext, userId: string, secret: string): Promise<TokenModel> {
    const user = await this.users.get(ctx.projectId, userId);
    const token = await this.tokens.find(user, TokenType.Verification, secret);
    if (!token) throw new AppException(ErrorType.UserInvalidToken);
    await this.users.updateEmailVerification(ctx.projectId, user.uid, true);
    await this.tokens.consume(ctx, token);
    return toTokenModel(token);
  }

  /** POST /v1/account/verification/phone: texts the signed-in user a code for their phone number. */
  async createPhoneVerification(ctx: RequestContext): Promise<TokenModel> {
    if (!this.config.get('sms').enabled) throw new AppException(ErrorType.GeneralPhoneDisabled);
    const { user } = currentUser(ctx);
    if (!user.phone) throw new AppException(ErrorType.UserPhoneNotFound);
    const code = phoneCode();
    const { token } = await this.tokens.issue(ctx, user, TokenType.Phone, code);
    await this.tokens.sendCode(ctx, user.phone, code);
    return toTokenModel(token, seesSecrets(ctx) ? code : '');
  }

  /** PUT /v1/account/verification/phone: a valid code marks the phone verified. */
  async confirmPhoneVerification(ctx: RequestContext, userId: string, secret: string): Promise<TokenModel> {
    const user = await this.users.get(ctx.projectId, userId);
    const token = await this.tokens.find(user, TokenType.Phone, secret);
    if (!token) throw new AppException(ErrorType.UserInvalidToken);
    await this.users.updatePhoneVerification(ctx.projectId, user.uid, true);
    await this.tokens.consume(ctx, token);
    return toTokenModel(token);
  }

  /** POST /v1/account/recovery: mails the user of `email` a one-hour reset link. */
  async createRecovery(ctx: RequestContext, web: WebExchange, email: string, url: string): Promise<TokenModel> {
    this.assertSmtp();
    const target = assertRedirectUrl(url, projectClients(ctx, web));
    const user = await this.userRows.findByEmail(ctx.projectId, email.toLowerCase());
    if (!user) throw new AppException(ErrorType.UserNotFound);
    if (user.status === false) throw new AppException(ErrorType.UserBlocked);
    const { token, secret } = await this.tokens.issue(ctx, user, TokenType.Recovery);
    await this.tokens.sendMail(ctx, user, 'recovery', withQuery(target, { userId: user.uid, secret, expire: toApiDate(token.expire) }));
    return toTokenModel(token, seesSecrets(ctx) ? secret : '');
  }

  /**
   * PUT /v1/account/recovery: sets the new password (history rules apply), marks the email verified
   * since the user proved they read it, and consumes the token.
   */
  async confirmRecovery(ctx: RequestContext, userId: string, secret: string, password: string, passwordAgain: string): Promise<TokenModel> {
    if (password !== passwordAgain) throw new AppException(ErrorType.UserPasswordMismatch);
    const user = await this.users.get(ctx.projectId, userId);
    const token = await this.tokens.find(user, TokenType.Recovery, secret);
    if (!token) throw new AppException(ErrorType.UserInvalidToken);
    await this.users.updatePassword(ctx.projectId, user.uid, password, ctx);
    if (!user.emailVerification) await this.users.updateEmailVerification(ctx.projectId, user.uid, true);
    await this.tokens.consume(ctx, token);
    return toTokenModel(token);
  }

  private assertSmtp(): void {
    if (!this.config.get('smtp').enabled) throw new AppException(ErrorType.GeneralSmtpDisabled);
  }
}
