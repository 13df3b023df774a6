import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { HashAlgorithm } from '@appconda/auth';
import { Scope } from '@appconda/contracts';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';

import { UsageUsersModel, UsersUsageService } from './usage.service';
import { UserActivityService } from './user-activity.service';
import {
  CreateHashedUserDto,
  CreateScryptModifiedUserDto,
  CreateScryptUserDto,
  CreateShaUserDto,
  CreateUserDto,
  ListUsersDto,
  QueriesParam,
  SessionParamDto,
  UpdateEmailDto,
  UpdateEmailVerificationDto,
  UpdateNameDto,
  UpdatePasswordDto,
  UpdatePhoneDto,
  UpdatePhoneVerificationDto,
  UpdatePrefsDto,
  UpdateStatusDto,
  UsageDto,
  UserIdParamDto,
} from './users.dto';
import { LogModel, MembershipModel, Preferences, SessionModel, toLogModel, toMembershipModel, toPreferences, toSessionModel, toUserModel, UserModel } from './users.models';
import { CreateUserInput, UsersService } from './users.service';

const AUTH = [AuthType.Key, AuthType.Admin];
/** 1.3's `users.{scope}.requests.*` usage. */
const usage = (action: string) => ({ metric: `users.requests.${action}` });
const USAGE_READ = { auth: AUTH, scope: Scope.UsersRead };
const READ = { ...USAGE_READ, usage: usage('read') };
const WRITE = { auth: AUTH, scope: Scope.UsersWrite };
const UPDATE = { ...WRITE, usage: usage('update') };
const CREATE = { ...WRITE, status: 201, events: ['users.[userId].create'], audit: { event: 'user.create', resource: 'user/{response.$id}' }, usage: usage('create') };
const UPDATE_AUDIT = { event: 'user.update', resource: 'user/{response.$id}' };
const VERIFICATION_AUDIT = { event: 'verification.update', resource: 'user/{request.userId}' };
const SESSION_DELETE = { ...WRITE, status: 204, events: ['users.[userId].sessions.[sessionId].delete'], audit: { event: 'session.delete', resource: 'user/{request.userId}' }, usage: { metric: 'sessions.requests.delete' } };

/** The 26 routes of Appwrite 1.3's Users service (server/console, API keys and console admins). */
@Controller('users')
export class UsersController {
  constructor(
    private readonly activity: UserActivityService,
    private readonly usersUsage: UsersUsageService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @Route(READ)
  async list(@Ctx() ctx: RequestContext, @QueriesParam() queries: string[] | undefined, @Query() dto: ListUsersDto): Promise<{ total: number; users: UserModel[] }> {
    const { rows, total } = await this.users.list(ctx.projectId, queries, dto.search);
    return { total, users: rows.map(toUserModel) };
  }

  @Post()
  @Route(CREATE)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateUserDto): Promise<UserModel> {
    return this.createWith(ctx, { ...dto, hash: 'plaintext' });
  }

  @Post('argon2')
  @Route(CREATE)
  createArgon2(@Ctx() ctx: RequestContext, @Body() dto: CreateHashedUserDto): Promise<UserModel> {
    return this.createWith(ctx, { ...dto, hash: HashAlgorithm.Argon2 });
  }

  @Post('bcrypt')
  @Route(CREATE)
  createBcrypt(@Ctx() ctx: RequestContext, @Body() dto: CreateHashedUserDto): Promise<UserModel> {
    return this.createWith(ctx, { ...dto, hash: HashAlgorithm.Bcrypt });
  }

  @Post('md5')
  @Route(CREATE)
  createMd5(@Ctx() ctx: RequestContext, @Body() dto: CreateHashedUserDto): Promise<UserModel> {
    return this.createWith(ctx, { ...dto, hash: HashAlgorithm.Md5 });
  }

  @Post('phpass')
  @Route(CREATE)
  createPhpass(@Ctx() ctx: RequestContext, @Body() dto: CreateHashedUserDto): Promise<UserModel> {
    return this.createWith(ctx, { ...dto, hash: HashAlgorithm.Phpass });
  }

  @Post('scrypt')
  @Route(CREATE)
  createScrypt(@Ctx() ctx: RequestContext, @Body() dto: CreateScryptUserDto): Promise<UserModel> {
    const hashOptions = { salt: dto.passwordSalt, costCpu: dto.passwordCpu, costMemory: dto.passwordMemory, costParallel: dto.passwordParallel, length: dto.passwordLength };
    return this.createWith(ctx, { ...dto, hash: HashAlgorithm.Scrypt, hashOptions });
  }

  @Post('scrypt-modified')
  @Route(CREATE)
  createScryptModified(@Ctx() ctx: RequestContext, @Body() dto: CreateScryptModifiedUserDto): Promise<UserModel> {
    const hashOptions = { signerKey: dto.passwordSignerKey, saltSeparator: dto.passwordSaltSeparator, salt: dto.passwordSalt };
    return this.createWith(ctx, { ...dto, hash: HashAlgorithm.ScryptModified, hashOptions });
  }

  @Post('sha')
  @Route(CREATE)
  createSha(@Ctx() ctx: RequestContext, @Body() dto: CreateShaUserDto): Promise<UserModel> {
    return this.createWith(ctx, { ...dto, hash: HashAlgorithm.Sha, hashOptions: dto.passwordVersion ? { version: dto.passwordVersion } : {} });
  }

  @Get('usage')
  @Route(USAGE_READ)
  usage(@Ctx() ctx: RequestContext, @Query() dto: UsageDto): Promise<UsageUsersModel> {
    return this.usersUsage.usage(ctx.projectId, dto.range ?? '30d', dto.provider);
  }

  @Get(':userId')
  @Route(READ)
  async get(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto): Promise<UserModel> {
    return toUserModel(await this.users.get(ctx.projectId, userId));
  }

  @Delete(':userId')
  @Route({ ...WRITE, status: 204, usage: usage('delete'), events: ['users.[userId].delete'], audit: { event: 'user.delete', resource: 'user/{request.userId}' } })
  async delete(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto): Promise<void> {
    await this.activity.deleteUser(ctx.projectId, userId);
  }

  @Patch(':userId/email')
  @Route({ ...UPDATE, events: ['users.[userId].update.email'], audit: UPDATE_AUDIT })
  async updateEmail(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @Body() dto: UpdateEmailDto): Promise<UserModel> {
    return toUserModel(await this.users.updateEmail(ctx.projectId, userId, dto.email));
  }

  @Get(':userId/logs')
  @Route(READ)
  async listLogs(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @QueriesParam() queries: string[] | undefined): Promise<{ total: number; logs: LogModel[] }> {
    const { rows, total } = await this.activity.listLogs(ctx.projectId, userId, queries);
    return { total, logs: rows.map(toLogModel) };
  }

  @Get(':userId/memberships')
  @Route(READ)
  async listMemberships(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto): Promise<{ total: number; memberships: MembershipModel[] }> {
    const views = await this.activity.listMemberships(ctx.projectId, userId);
    return { total: views.length, memberships: views.map((view) => toMembershipModel(view.membership, view.user, view.team)) };
  }

  @Patch(':userId/name')
  @Route({ ...UPDATE, events: ['users.[userId].update.name'], audit: UPDATE_AUDIT })
  async updateName(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @Body() dto: UpdateNameDto): Promise<UserModel> {
    return toUserModel(await this.users.updateName(ctx.projectId, userId, dto.name));
  }

  @Patch(':userId/password')
  @Route({ ...UPDATE, events: ['users.[userId].update.password'], audit: UPDATE_AUDIT })
  async updatePassword(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @Body() dto: UpdatePasswordDto): Promise<UserModel> {
    return toUserModel(await this.users.updatePassword(ctx.projectId, userId, dto.password, ctx));
  }

  @Patch(':userId/phone')
  @Route({ ...UPDATE, events: ['users.[userId].update.phone'], audit: UPDATE_AUDIT })
  async updatePhone(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @Body() dto: UpdatePhoneDto): Promise<UserModel> {
    return toUserModel(await this.users.updatePhone(ctx.projectId, userId, dto.number));
  }

  @Get(':userId/prefs')
  @Route(READ)
  async getPrefs(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto): Promise<Preferences> {
    return toPreferences((await this.users.get(ctx.projectId, userId)).prefs);
  }

  @Patch(':userId/prefs')
  @Route({ ...UPDATE, events: ['users.[userId].update.prefs'], audit: { event: 'user.update', resource: 'user/{request.userId}' } })
  async updatePrefs(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @Body() dto: UpdatePrefsDto): Promise<Preferences> {
    return toPreferences((await this.users.updatePrefs(ctx.projectId, userId, dto.prefs)).prefs);
  }

  @Get(':userId/sessions')
  @Route(READ)
  async listSessions(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto): Promise<{ total: number; sessions: SessionModel[] }> {
    const sessions = await this.activity.listSessions(ctx.projectId, userId);
    return { total: sessions.length, sessions: sessions.map((session) => toSessionModel(session)) };
  }

  @Delete(':userId/sessions')
  @Route(SESSION_DELETE)
  deleteSessions(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto): Promise<void> {
    return this.activity.deleteSessions(ctx.projectId, userId, ctx);
  }

  @Delete(':userId/sessions/:sessionId')
  @Route(SESSION_DELETE)
  deleteSession(@Ctx() ctx: RequestContext, @Param() { userId, sessionId }: SessionParamDto): Promise<void> {
    return this.activity.deleteSession(ctx.projectId, userId, sessionId);
  }

  @Patch(':userId/status')
  @Route({ ...UPDATE, events: ['users.[userId].update.status'], audit: UPDATE_AUDIT })
  async updateStatus(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @Body() dto: UpdateStatusDto): Promise<UserModel> {
    return toUserModel(await this.users.updateStatus(ctx.projectId, userId, dto.status));
  }

  @Patch(':userId/verification')
  @Route({ ...UPDATE, events: ['users.[userId].update.verification'], audit: VERIFICATION_AUDIT })
  async updateEmailVerification(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @Body() dto: UpdateEmailVerificationDto): Promise<UserModel> {
    return toUserModel(await this.users.updateEmailVerification(ctx.projectId, userId, dto.emailVerification));
  }

  @Patch(':userId/verification/phone')
  @Route({ ...UPDATE, events: ['users.[userId].update.verification'], audit: VERIFICATION_AUDIT })
  async updatePhoneVerification(@Ctx() ctx: RequestContext, @Param() { userId }: UserIdParamDto, @Body() dto: UpdatePhoneVerificationDto): Promise<UserModel> {
    return toUserModel(await this.users.updatePhoneVerification(ctx.projectId, userId, dto.phoneVerification));
  }

  /** The users API may exceed the project's user limit, as in 1.3 (only sign-up checks it). */
  private async createWith(ctx: RequestContext, input: CreateUserInput): Promise<UserModel> {
    return toUserModel(await this.users.createUser(ctx.projectId, input, ctx, { enforceLimit: false }));
  }
}
