import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { Scope } from '@appconda/contracts';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';
import { ListQuery, UploadRequest } from '@appconda/storage';
import { USAGE_RANGE_NAMES } from '@appconda/usage';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';

import { DeploymentsService } from './deployments.service';
import { ExecutionsService } from './executions.service';
import { CreateExecutionDto, CreateFunctionDto, CreateVariableDto, UpdateFunctionDto, UpdateVariableDto } from './functions.dto';
import { FunctionsService, ListQueryDto } from './functions.service';
import { FunctionsUsageService } from './functions-usage.service';

/** 1.3: functions, deployments and variables are for API keys (and the console acting as admin). */
const SERVER = [AuthType.Key, AuthType.Admin];
/** Executions are open to users too; the function's `execute` roles decide. */
const CLIENTS = [AuthType.Session, AuthType.Jwt, AuthType.Key, AuthType.Admin];
const READ = { auth: SERVER, scope: Scope.FunctionsRead };
const WRITE = { auth: SERVER, scope: Scope.FunctionsWrite };
const audit = (event: string, resource = 'function/{request.functionId}') => ({ event, resource });
const DEPLOYMENT_EVENT = (action: string) => [`functions.[functionId].deployments.[deploymentId].${action}`];

/** `range` of the usage routes (1.3 WhiteList, default 30d). */
export class FunctionsUsageDto {
  @IsOptional() @IsIn(USAGE_RANGE_NAMES, { message: `Value must be one of (${USAGE_RANGE_NAMES.join(', ')})` }) range = '30d';
}

@Controller('functions')
export class FunctionsController {
  constructor(
    private readonly functions: FunctionsService,
    private readonly usage: FunctionsUsageService,
  ) {}

  @Get()
  @Route(READ)
  list(@Ctx() ctx: RequestContext, @ListQuery() query: ListQueryDto) {
    return this.functions.list(ctx, query);
  }

  @Post()
  @Route({ ...WRITE, status: 201, events: ['functions.[functionId].create'], audit: audit('function.create', 'function/{response.$id}') })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateFunctionDto) {
    return this.functions.create(ctx, dto);
  }

  @Get('runtimes')
  @Route(READ)
  runtimes() {
    const runtimes = this.functions.runtimes();
    return { total: runtimes.length, runtimes };
  }

  @Get('usage')
  @Route({ auth: [AuthType.Admin], scope: Scope.FunctionsRead })
  projectUsage(@Ctx() ctx: RequestContext, @Query() dto: FunctionsUsageDto) {
    return this.usage.projectUsage(ctx.projectId, dto.range);
  }

  @Get(':functionId')
  @Route(READ)
  get(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string) {
    return this.functions.get(ctx, functionId);
  }

  @Put(':functionId')
  @Route({ ...WRITE, events: ['functions.[functionId].update'], audit: audit('function.update', 'function/{response.$id}') })
  update(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Body() dto: UpdateFunctionDto) {
    return this.functions.update(ctx, functionId, dto);
  }

  @Delete(':functionId')
  @Route({ ...WRITE, status: 204, events: ['functions.[functionId].delete'], audit: audit('function.delete') })
  async delete(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string): Promise<void> {
    await this.functions.delete(ctx, functionId);
  }

  @Get(':functionId/usage')
  @Route({ auth: [AuthType.Admin], scope: Scope.FunctionsRead })
  functionUsage(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Query() dto: FunctionsUsageDto) {
    return this.usage.functionUsage(ctx.projectId, functionId, dto.range);
  }

  @Get(':functionId/variables')
  @Route(READ)
  listVariables(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string) {
    return this.functions.listVariables(ctx, functionId);
  }

  @Post(':functionId/variables')
  @Route({ ...WRITE, status: 201, audit: audit('variable.create') })
  createVariable(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Body() dto: CreateVariableDto) {
    return this.functions.createVariable(ctx, functionId, dto);
  }

  @Get(':functionId/variables/:variableId')
  @Route(READ)
  getVariable(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Param('variableId') variableId: string) {
    return this.functions.getVariable(ctx, functionId, variableId);
  }

  @Put(':functionId/variables/:variableId')
  @Route({ ...WRITE, audit: audit('variable.update') })
  updateVariable(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Param('variableId') variableId: string, @Body() dto: UpdateVariableDto) {
    return this.functions.updateVariable(ctx, functionId, variableId, dto);
  }

  @Delete(':functionId/variables/:variableId')
  @Route({ ...WRITE, status: 204, audit: audit('variable.delete') })
  async deleteVariable(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Param('variableId') variableId: string): Promise<void> {
    await this.functions.deleteVariable(ctx, functionId, variableId);
  }
}

@Controller('functions/:functionId')
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly executions: ExecutionsService,
  ) {}

  @Get('deployments')
  @Route(READ)
  list(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @ListQuery() query: ListQueryDto) {
    return this.deployments.list(ctx, functionId, query);
  }

  @Post('deployments')
  @Route({ ...WRITE, status: 202, events: DEPLOYMENT_EVENT('create'), audit: audit('deployment.create') })
  create(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Req() request: UploadRequest) {
    return this.deployments.create(ctx, functionId, request);
  }

  @Get('deployments/:deploymentId')
  @Route(READ)
  get(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Param('deploymentId') deploymentId: string) {
    return this.deployments.get(ctx, functionId, deploymentId);
  }

  @Patch('deployments/:deploymentId')
  @Route({ ...WRITE, events: DEPLOYMENT_EVENT('update'), audit: audit('deployment.update') })
  activate(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Param('deploymentId') deploymentId: string) {
    return this.deployments.activate(ctx, functionId, deploymentId);
  }

  @Delete('deployments/:deploymentId')
  @Route({ ...WRITE, status: 204, events: DEPLOYMENT_EVENT('delete'), audit: audit('deployment.delete') })
  async delete(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Param('deploymentId') deploymentId: string): Promise<void> {
    await this.deployments.delete(ctx, functionId, deploymentId);
  }

  @Post('deployments/:deploymentId/builds/:buildId')
  @Route({ ...WRITE, status: 204, events: DEPLOYMENT_EVENT('update'), audit: audit('deployment.update') })
  async retryBuild(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Param('deploymentId') deploymentId: string, @Param('buildId') buildId: string): Promise<void> {
    await this.deployments.retryBuild(ctx, functionId, deploymentId, buildId);
  }

  @Get('executions')
  @Route({ auth: CLIENTS, scope: Scope.ExecutionRead })
  listExecutions(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @ListQuery() query: ListQueryDto) {
    return this.executions.list(ctx, functionId, query);
  }

  @Post('executions')
  @Route({
    auth: CLIENTS,
    scope: Scope.ExecutionWrite,
    status: 201,
    rateLimit: { limit: 60, window: 60, key: 'ip:{ip},userId:{userId}' },
    events: ['functions.[functionId].executions.[executionId].create'],
  })
  async createExecution(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Body() dto: CreateExecutionDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { status, execution } = await this.executions.create(ctx, functionId, dto);
    reply.status(status);
    return execution;
  }

  @Get('executions/:executionId')
  @Route({ auth: CLIENTS, scope: Scope.ExecutionRead })
  getExecution(@Ctx() ctx: RequestContext, @Param('functionId') functionId: string, @Param('executionId') executionId: string) {
    return this.executions.get(ctx, functionId, executionId);
  }
}
