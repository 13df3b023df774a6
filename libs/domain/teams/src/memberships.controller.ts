import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { Web, WebExchange } from '@appconda/account';
import { Scope } from '@appconda/contracts';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';
import { QueriesParam } from '@appconda/users';

import { MembershipsService } from './memberships.service';
import { TEAM_CALLERS } from './teams.controller';
import { CreateMembershipDto, ListDto, MembershipParamDto, TeamParamDto, UpdateMembershipRolesDto, UpdateMembershipStatusDto } from './teams.dto';

const MEMBERSHIP_AUDIT = 'team/{request.teamId}';

/** /v1/teams/{teamId}/memberships: invitations, roles, removal and accepting an invite. */
@Controller('teams')
export class MembershipsController {
  constructor(private readonly memberships: MembershipsService) {}

  @Get(':teamId/memberships')
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsRead })
  list(@Ctx() ctx: RequestContext, @Param() { teamId }: TeamParamDto, @QueriesParam() queries: string[] | undefined, @Query() { search }: ListDto) {
    return this.memberships.list(ctx, teamId, queries, search);
  }

  @Post(':teamId/memberships')
  @Route({
    auth: TEAM_CALLERS,
    scope: Scope.TeamsWrite,
    status: 201,
    rateLimit: { limit: 10, window: 3600, key: 'url:{url},ip:{ip}' },
    events: ['teams.[teamId].memberships.[membershipId].create'],
    audit: { event: 'membership.create', resource: MEMBERSHIP_AUDIT },
  })
  create(@Ctx() ctx: RequestContext, @Param() { teamId }: TeamParamDto, @Body() dto: CreateMembershipDto, @Web() web: WebExchange) {
    return this.memberships.create(ctx, teamId, dto, web);
  }

  @Get(':teamId/memberships/:membershipId')
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsRead })
  get(@Ctx() ctx: RequestContext, @Param() { teamId, membershipId }: MembershipParamDto) {
    return this.memberships.get(ctx, teamId, membershipId);
  }

  @Patch(':teamId/memberships/:membershipId')
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsWrite, events: ['teams.[teamId].memberships.[membershipId].update'], audit: { event: 'membership.update', resource: MEMBERSHIP_AUDIT } })
  updateRoles(@Ctx() ctx: RequestContext, @Param() { teamId, membershipId }: MembershipParamDto, @Body() dto: UpdateMembershipRolesDto) {
    return this.memberships.updateRoles(ctx, teamId, membershipId, dto.roles);
  }

  @Delete(':teamId/memberships/:membershipId')
  @Route({
    auth: TEAM_CALLERS,
    scope: Scope.TeamsWrite,
    status: 204,
    events: ['teams.[teamId].memberships.[membershipId].delete'],
    audit: { event: 'membership.delete', resource: MEMBERSHIP_AUDIT },
  })
  delete(@Ctx() ctx: RequestContext, @Param() { teamId, membershipId }: MembershipParamDto) {
    return this.memberships.delete(ctx, teamId, membershipId);
  }

  // The invitee usually has no session yet: 1.3 gates this route by the `public` scope only.
  @Patch(':teamId/memberships/:membershipId/status')
  @Route({
    auth: [AuthType.Guest, AuthType.Session, AuthType.Jwt],
    scope: Scope.Public,
    events: ['teams.[teamId].memberships.[membershipId].update.status'],
    audit: { event: 'membership.update', resource: MEMBERSHIP_AUDIT },
  })
  updateStatus(
    @Ctx() ctx: RequestContext,
    @Param() { teamId, membershipId }: MembershipParamDto,
    @Body() dto: UpdateMembershipStatusDto,
    @Web() web: WebExchange,
  ) {
    return this.memberships.updateStatus(ctx, teamId, membershipId, dto.userId, dto.secret, web);
  }
}
