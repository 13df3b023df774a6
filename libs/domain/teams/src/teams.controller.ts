import { Body, Controller, Delete, Get, Headers, Param, Post, Put, Query } from '@nestjs/common';
import { Scope } from '@appconda/contracts';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';
import { QueriesParam } from '@appconda/users';

import { CreateTeamDto, ListDto, TeamParamDto, UpdateTeamNameDto, UpdateTeamPrefsDto } from './teams.dto';
import { TeamsService } from './teams.service';

/** Optimistic-concurrency header of 1.3 updates and deletes. */
const TIMESTAMP = 'x-appwrite-timestamp';

/** Users with a session or JWT, API keys and console admins; permissions decide the rest. */
export const TEAM_CALLERS = [AuthType.Session, AuthType.Jwt, AuthType.Key, AuthType.Admin];

/** /v1/teams: team CRUD, shared preferences and the console's team log. */
@Controller('teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsRead })
  list(@Ctx() ctx: RequestContext, @QueriesParam() queries: string[] | undefined, @Query() { search }: ListDto) {
    return this.teams.list(ctx, queries, search);
  }

  @Post()
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsWrite, status: 201, events: ['teams.[teamId].create'], audit: { event: 'team.create', resource: 'team/{response.$id}' } })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateTeamDto) {
    return this.teams.create(ctx, dto.teamId, dto.name, dto.roles);
  }

  @Get(':teamId')
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsRead })
  get(@Ctx() ctx: RequestContext, @Param() { teamId }: TeamParamDto) {
    return this.teams.get(ctx, teamId);
  }

  @Put(':teamId')
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsWrite, events: ['teams.[teamId].update'], audit: { event: 'team.update', resource: 'team/{response.$id}' } })
  updateName(@Ctx() ctx: RequestContext, @Param() { teamId }: TeamParamDto, @Body() dto: UpdateTeamNameDto, @Headers(TIMESTAMP) timestamp?: string) {
    return this.teams.updateName(ctx, teamId, dto.name, timestamp);
  }

  @Delete(':teamId')
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsWrite, status: 204, events: ['teams.[teamId].delete'], audit: { event: 'team.delete', resource: 'team/{request.teamId}' } })
  delete(@Ctx() ctx: RequestContext, @Param() { teamId }: TeamParamDto, @Headers(TIMESTAMP) timestamp?: string) {
    return this.teams.delete(ctx, teamId, timestamp);
  }

  // The SDKs label team prefs session/JWT, but 1.3 only enforces the scope, so API keys read and write them too.
  @Get(':teamId/prefs')
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsRead })
  getPrefs(@Ctx() ctx: RequestContext, @Param() { teamId }: TeamParamDto) {
    return this.teams.getPrefs(ctx, teamId);
  }

  @Put(':teamId/prefs')
  @Route({ auth: TEAM_CALLERS, scope: Scope.TeamsWrite, events: ['teams.[teamId].update.prefs'], audit: { event: 'team.update', resource: 'team/{request.teamId}' } })
  updatePrefs(@Ctx() ctx: RequestContext, @Param() { teamId }: TeamParamDto, @Body() dto: UpdateTeamPrefsDto, @Headers(TIMESTAMP) timestamp?: string) {
    return this.teams.updatePrefs(ctx, teamId, dto.prefs, timestamp);
  }

  @Get(':teamId/logs')
  @Route({ auth: [AuthType.Admin], scope: Scope.TeamsRead })
  listLogs(@Ctx() ctx: RequestContext, @Param() { teamId }: TeamParamDto, @QueriesParam() queries: string[] | undefined) {
    return this.teams.listLogs(ctx, teamId, queries);
  }
}
