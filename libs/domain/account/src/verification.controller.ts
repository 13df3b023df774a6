import { Body, Controller, Post, Put } from '@nestjs/common';
import { Scope } from '@appconda/contracts';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';

import { CreateRecoveryDto, TokenSecretDto, UpdateRecoveryDto, VerificationDto } from './account.dto';
import { VerificationService } from './verification.service';
import { Web, WebExchange } from './web-exchange';

const SELF = [AuthType.Session, AuthType.Jwt];
const ANYONE = [AuthType.Guest, AuthType.Session, AuthType.Jwt];
const verificationCreated = { event: 'verification.create', resource: 'user/{response.userId}' };
const verificationUpdated = { event: 'verification.update', resource: 'user/{response.userId}' };

/** `/v1/account/verification*` and `/v1/account/recovery`: proving an email or phone, resetting a password. */
@Controller('account')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Post('verification')
  @Route({
    auth: SELF,
    scope: Scope.Account,
    status: 201,
    rateLimit: { limit: 10, key: 'url:{url},userId:{userId}' },
    events: ['users.[userId].verification.[tokenId].create'],
    audit: verificationCreated,
  })
  createEmailVerification(@Ctx() ctx: RequestContext, @Web() web: WebExchange, @Body() dto: VerificationDto) {
    return this.verification.createEmailVerification(ctx, web, dto.url);
  }

  @Put('verification')
  @Route({
    auth: ANYONE,
    scope: Scope.Public,
    rateLimit: { limit: 10, key: 'url:{url},userId:{param-userId}' },
    events: ['users.[userId].verification.[tokenId].update'],
    audit: verificationUpdated,
  })
  updateEmailVerification(@Ctx() ctx: RequestContext, @Body() dto: TokenSecretDto) {
    return this.verification.confirmEmailVerification(ctx, dto.userId, dto.secret);
  }

  @Post('verification/phone')
  @Route({
    auth: SELF,
    scope: Scope.Account,
    status: 201,
    rateLimit: { limit: 10, key: 'userId:{userId}' },
    events: ['users.[userId].verification.[tokenId].create'],
    audit: verificationCreated,
  })
  createPhoneVerification(@Ctx() ctx: RequestContext) {
    return this.verification.createPhoneVerification(ctx);
  }

  @Put('verification/phone')
  @Route({
    auth: ANYONE,
    scope: Scope.Public,
    rateLimit: { limit: 10, key: 'userId:{param-userId}' },
    events: ['users.[userId].verification.[tokenId].update'],
    audit: verificationUpdated,
  })
  updatePhoneVerification(@Ctx() ctx: RequestContext, @Body() dto: TokenSecretDto) {
    return this.verification.confirmPhoneVerification(ctx, dto.userId, dto.secret);
  }

  @Post('recovery')
  @Route({
    auth: ANYONE,
    scope: Scope.Public,
    status: 201,
    rateLimit: { limit: 10, key: ['url:{url},email:{param-email}', 'ip:{ip}'] },
    events: ['users.[userId].recovery.[tokenId].create'],
    audit: { event: 'recovery.create', resource: 'user/{response.userId}' },
  })
  createRecovery(@Ctx() ctx: RequestContext, @Web() web: WebExchange, @Body() dto: CreateRecoveryDto) {
    return this.verification.createRecovery(ctx, web, dto.email, dto.url);
  }

  @Put('recovery')
  @Route({
    auth: ANYONE,
    scope: Scope.Public,
    rateLimit: { limit: 10, key: 'url:{url},userId:{param-userId}' },
    events: ['users.[userId].recovery.[tokenId].update'],
    audit: { event: 'recovery.update', resource: 'user/{response.userId}' },
  })
  updateRecovery(@Ctx() ctx: RequestContext, @Body() dto: UpdateRecoveryDto) {
    return this.verification.confirmRecovery(ctx, dto.userId, dto.secret, dto.password, dto.passwordAgain);
  }
}
