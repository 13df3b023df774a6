import { Body, Controller, Delete, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { Scope } from '@appconda/contracts';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';

import { EmailSessionDto, MagicUrlSessionDto, PhoneSessionDto, SessionParamDto, TokenSecretDto } from './account.dto';
import { LoginService } from './login.service';
import { SessionsService } from './sessions.service';
import { Web, WebExchange } from './web-exchange';

const SELF = [AuthType.Session, AuthType.Jwt];
const created = ['users.[userId].sessions.[sessionId].create'];
const sessionCreated = { event: 'session.create', resource: 'user/{response.userId}' };
const sessionDeleted = { event: 'session.delete', resource: 'user/{response.userId}' };
/** 1.3's `sessions.{provider}.requests.create` / `sessions.requests.delete` usage. */
const sessionUsage = (provider: string) => ({ metric: 'sessions.requests.create', labels: { provider } });
const sessionsDeleted = { metric: 'sessions.requests.delete' };
const byEmail = { limit: 10, key: 'url:{url},email:{param-email}' };
const byUserParam = { limit: 10, key: 'url:{url},userId:{param-userId}' };

/** `/v1/account/sessions*` (OAuth2 lives in its own controller): logins, the session list and logouts. */
@Controller('account/sessions')
export class SessionsController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('email')
  @Route({ auth: [AuthType.Guest], scope: Scope.Public, status: 201, rateLimit: byEmail, events: created, audit: sessionCreated, usage: sessionUsage('email') })
  createEmailSession(@Ctx() ctx: RequestContext, @Web() web: WebExchange, @Body() dto: EmailSessionDto) {
    return this.login.emailSession(ctx, web, dto.email, dto.password);
  }

  /** The pre-1.0 path of the email session, still served by 1.3. */
  @Post()
  @Route({ auth: [AuthType.Guest], scope: Scope.Public, status: 201, rateLimit: byEmail, events: created, audit: sessionCreated, usage: sessionUsage('email') })
  createEmailSessionLegacy(@Ctx() ctx: RequestContext, @Web() web: WebExchange, @Body() dto: EmailSessionDto) {
    return this.login.emailSession(ctx, web, dto.email, dto.password);
  }

  @Post('anonymous')
  @Route({ auth: [AuthType.Guest], scope: Scope.Public, status: 201, rateLimit: { limit: 50, key: 'ip:{ip}' }, events: created, audit: sessionCreated, usage: sessionUsage('anonymous') })
  createAnonymousSession(@Ctx() ctx: RequestContext, @Web() web: WebExchange) {
    return this.login.anonymousSession(ctx, web);
  }

  @Post('magic-url')
  @Route({ auth: [AuthType.Guest], scope: Scope.Public, status: 201, rateLimit: byEmail })
  createMagicUrlSession(@Ctx() ctx: RequestContext, @Web() web: WebExchange, @Body() dto: MagicUrlSessionDto) {
    return this.login.createMagicUrl(ctx, web, dto.userId, dto.email, dto.url);
  }

  @Put('magic-url')
  @Route({ auth: [AuthType.Guest], scope: Scope.Public, rateLimit: byUserParam, events: created, audit: sessionCreated, usage: sessionUsage('magic-url') })
  updateMagicUrlSession(@Ctx() ctx: RequestContext, @Web() web: WebExchange, @Body() dto: TokenSecretDto) {
    return this.login.confirmMagicUrl(ctx, web, dto.userId, dto.secret);
  }

  @Post('phone')
  @Route({ auth: [AuthType.Guest], scope: Scope.Public, status: 201, rateLimit: byEmail })
  createPhoneSession(@Ctx() ctx: RequestContext, @Body() dto: PhoneSessionDto) {
    return this.login.createPhoneSession(ctx, dto.userId, dto.phone);
  }

  @Put('phone')
  @Route({ auth: [AuthType.Guest], scope: Scope.Public, rateLimit: byUserParam, events: created, audit: sessionCreated, usage: sessionUsage('phone') })
  updatePhoneSession(@Ctx() ctx: RequestContext, @Web() web: WebExchange, @Body() dto: TokenSecretDto) {
    return this.login.confirmPhoneSession(ctx, web, dto.userId, dto.secret);
  }

  @Get()
  @Route({ auth: SELF, scope: Scope.Account })
  list(@Ctx() ctx: RequestContext) {
    return this.sessions.list(ctx);
  }

  @Delete()
  @Route({
    auth: SELF,
    scope: Scope.Account,
    status: 204,
    rateLimit: { limit: 100, key: 'url:{url},ip:{ip}' },
    events: ['users.[userId].sessions.[sessionId].delete'],
    audit: sessionDeleted,
    usage: sessionsDeleted,
  })
  async deleteAll(@Ctx() ctx: RequestContext, @Web() web: WebExchange): Promise<void> {
    await this.sessions.deleteAll(ctx, web);
  }

  @Get(':sessionId')
  @Route({ auth: SELF, scope: Scope.Account })
  get(@Ctx() ctx: RequestContext, @Param() { sessionId }: SessionParamDto) {
    return this.sessions.get(ctx, sessionId);
  }

  @Patch(':sessionId')
  @Route({
    auth: SELF,
    scope: Scope.Account,
    rateLimit: { limit: 10, key: 'url:{url},ip:{ip}' },
    events: ['users.[userId].sessions.[sessionId].update'],
    audit: { event: 'session.update', resource: 'user/{response.userId}' },
  })
  update(@Ctx() ctx: RequestContext, @Param() { sessionId }: SessionParamDto) {
    return this.sessions.update(ctx, sessionId);
  }

  @Delete(':sessionId')
  @Route({
    auth: SELF,
    scope: Scope.Account,
    status: 204,
    rateLimit: { limit: 100, key: 'url:{url},ip:{ip}' },
    events: ['users.[userId].sessions.[sessionId].delete'],
    audit: sessionDeleted,
    usage: sessionsDeleted,
  })
  async delete(@Ctx() ctx: RequestContext, @Web() web: WebExchange, @Param() { sessionId }: SessionParamDto): Promise<void> {
    await this.sessions.delete(ctx, web, sessionId);
  }
}
