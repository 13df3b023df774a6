import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { ErrorType } from '@appconda/contracts';
import { AppException, RequestContext } from '@appconda/core';
import { UserEntity } from '@appconda/database';
import { CONSOLE_PROJECT_ID, identityOf } from '@appconda/identity';
import { AccountModel, LogModel, Preferences, toAccountModel, toLogModel, toPreferences, UserActivityService, UsersService } from '@appconda/users';

import { assertAuthMethod, AuthMethod, currentUser } from './account.context';
import { SessionsService } from './sessions.service';
import { WebExchange } from './web-exchange';

export interface CreateAccountInput {
  userId: string;
  email: string;
  password: string;
  name?: string;
}

/** The signed-in user's own profile: sign-up, reads and the self-service updates of the account API. */
@Injectable()
export class AccountService {
  constructor(
    private readonly activity: UserActivityService,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  /**
   * POST /v1/account. On the console project the email and IP whitelists apply and the root
   * whitelist caps the console at one user (its `auths.limit`, enforced by createUser).
   */
  async create(ctx: RequestContext, input: CreateAccountInput): Promise<AccountModel> {
    assertAuthMethod(ctx, AuthMethod.EmailPassword);
    const email = input.email.toLowerCase();
    if (identityOf(ctx).project.id === CONSOLE_PROJECT_ID) {
      const { whitelistEmails, whitelistIps } = this.config.get('console');
      if (whitelistEmails.length && !whitelistEmails.some((allowed) => allowed.toLowerCase() === email)) throw new AppException(ErrorType.UserEmailNotWhitelisted);
      if (whitelistIps.length && !whitelistIps.includes(ctx.ip)) throw new AppException(ErrorType.UserIpNotWhitelisted);
    }
    const user = await this.users.createUser(ctx.projectId, { userId: input.userId, email, password: input.password, name: input.name ?? '' }, ctx);
    return toAccountModel(user);
  }

  get(ctx: RequestContext): AccountModel {
    return toAccountModel(currentUser(ctx).user);
  }

  getPrefs(ctx: RequestContext): Preferences {
    return toPreferences(currentUser(ctx).user.prefs);
  }

  async updateName(ctx: RequestContext, name: string): Promise<AccountModel> {
    const { user } = currentUser(ctx);
    return toAccountModel(await this.users.updateName(user.project, user.uid, name));
  }

  /**
   * PATCH /v1/account/email. The current password confirms the change; an account without one
   * (anonymous, magic URL, phone) gets `password` as its first password instead, as in 1.3.
   */
  async updateEmail(ctx: RequestContext, email: string, password: string): Promise<AccountModel> {
    const { user } = currentUser(ctx);
    await this.confirmPassword(user, password);
    const updated = await this.users.updateEmail(user.project, user.uid, email);
    return toAccountModel(await this.setFirstPassword(updated, password, ctx));
  }

  /** PATCH /v1/account/phone, confirmed by the password like the email change. */
  async updatePhone(ctx: RequestContext, phone: string, password: string): Promise<AccountModel> {
    const { user } = currentUser(ctx);
    await this.confirmPassword(user, password);
    const updated = await this.users.updatePhone(user.project, user.uid, phone);
    return toAccountModel(await this.setFirstPassword(updated, password, ctx));
  }

  /** PATCH /v1/account/password: `oldPassword` must match unless the account has no password yet. */
  async updatePassword(ctx: RequestContext, password: string, oldPassword: string | undefined): Promise<AccountModel> {
    const { user } = currentUser(ctx);
    if (user.password && !(await this.users.checkPassword(user, oldPassword ?? ''))) throw new AppException(ErrorType.UserInvalidCredentials);
    return toAccountModel(await this.users.updatePassword(user.project, user.uid, password, ctx));
  }

  async updatePrefs(ctx: RequestContext, prefs: Record<string, unknown>): Promise<AccountModel> {
    const { user } = currentUser(ctx);
    return toAccountModel(await this.users.updatePrefs(user.project, user.uid, prefs));
  }

  /** PATCH /v1/account/status: blocks the account itself and ends the browser session's cookies. */
  async block(ctx: RequestContext, web: WebExchange): Promise<AccountModel> {
    const { user } = currentUser(ctx);
    const blocked = await this.users.updateStatus(user.project, user.uid, false);
    this.sessions.clearCookies(ctx, web, false);
    return toAccountModel(blocked);
  }

  /** GET /v1/account/logs: the user's audit entries, newest first; only limit/offset queries. */
  async listLogs(ctx: RequestContext, queries: unknown): Promise<{ total: number; logs: LogModel[] }> {
    const { user } = currentUser(ctx);
    const { rows, total } = await this.activity.listLogs(user.project, user.uid, queries);
    return { total, logs: rows.map(toLogModel) };
  }

  /** A user with a password must confirm it; one without has nothing to confirm. */
  private async confirmPassword(user: UserEntity, password: string): Promise<void> {
    if (user.password && !(await this.users.checkPassword(user, password))) throw new AppException(ErrorType.UserInvalidCredentials);
  }

  /** Gives a password-less account its first password (after the change it came with succeeded). */
  private async setFirstPassword(user: UserEntity, password: string, ctx: RequestContext): Promise<UserEntity> {
    return user.password ? user : this.users.updatePassword(user.project, user.uid, password, ctx);
  }
}
