import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { Scope } from '@appconda/contracts';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';
import { QueriesParam } from '@appconda/users';

import { CreateAccountDto, UpdateEmailDto, UpdateNameDto, UpdatePasswordDto, UpdatePhoneDto, UpdatePrefsDto } from './account.dto';
import { AccountService } from './account.service';
import { SessionsService } from './sessions.service';
import { Web, WebExchange } from './web-exchange';

const SELF = [AuthType.Session, AuthType.Jwt];
const userUpdate = { event: 'user.update', resource: 'user/{response.$id}' };

/** `/v1/account`: sign-up, the signed-in user's profile, preferences, logs and JWTs. */
@Controller('account')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    private readonly sessions: SessionsService,
  ) {}

  @Post()
  @Route({
    auth: [AuthType.Guest],
    scope: Scope.Public,
    status: 201,
    rateLimit: { limit: 10, key: 'url:{url},ip:{ip}' },
    events: ['users.[userId].create'],
    audit: { event: 'user.create', resource: 'user/{response.$id}' },
    usage: { metric: 'users.requests.create' },
  })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateAccountDto) {
    return this.account.create(ctx, dto);
  }

  @Get()
  @Route({ auth: SELF, scope: Scope.Account })
  get(@Ctx() ctx: RequestContext) {
    return this.account.get(ctx);
  }

  @Patch('name')
  @Route({ auth: SELF, scope: Scope.Account, events: ['users.[userId].update.name'], audit: userUpdate })
  updateName(@Ctx() ctx: RequestContext, @Body() dto: UpdateNameDto) {
    return this.account.updateName(ctx, dto.name);
  }

  @Patch('email')
  @Route({ auth: SELF, scope: Scope.Account, events: ['users.[userId].update.email'], audit: userUpdate })
  updateEmail(@Ctx() ctx: RequestContext, @Body() dto: UpdateEmailDto) {
    return this.account.updateEmail(ctx, dto.email, dto.password);
  }

  @Patch('password')
  @Route({ auth: SELF, scope: Scope.Account, events: ['users.[userId].update.password'], audit: userUpdate })
  updatePassword(@Ctx() ctx: RequestContext, @Body() dto: UpdatePasswordDto) {
    return this.account.updatePassword(ctx, dto.password, dto.oldPassword);
  }

  @Patch('phone')
  @Route({ auth: SELF, scope: Scope.Account, events: ['users.[userId].update.phone'], audit: userUpdate })
  updatePhone(@Ctx() ctx: RequestContext, @Body() dto: UpdatePhoneDto) {
    return this.account.updatePhone(ctx, dto.phone, dto.password);
  }

  @Get('prefs')
  @Route({ auth: SELF, scope: Scope.Account })
  getPrefs(@Ctx() ctx: RequestContext) {
    return this.account.getPrefs(ctx);
  }

  @Patch('prefs')
  @Route({ auth: SELF, scope: Scope.Account, events: ['users.[userId].update.prefs'], audit: userUpdate })
  updatePrefs(@Ctx() ctx: RequestContext, @Body() dto: UpdatePrefsDto) {
    return this.account.updatePrefs(ctx, dto.prefs);
  }

  @Patch('status')
  @Route({ auth: SELF, scope: Scope.Account, events: ['users.[userId].update.status'], audit: userUpdate })
  updateStatus(@Ctx() ctx: RequestContext, @Web() web: WebExchange) {
    return this.account.block(ctx, web);
  }

  @Get('logs')
  @Route({ auth: SELF, scope: Scope.Account })
  listLogs(@Ctx() ctx: RequestContext, @QueriesParam() queries: string[] | undefined) {
    return this.account.listLogs(ctx, queries);
  }

  @Post('jwt')
  @Route({ auth: [AuthType.Session], scope: Scope.Account, status: 201, rateLimit: { limit: 100, key: 'url:{url},userId:{userId}' } })
  createJwt(@Ctx() ctx: RequestContext) {
    return this.sessions.createJwt(ctx);
  }
}
