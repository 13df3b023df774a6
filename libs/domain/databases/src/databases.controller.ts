import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { AuthType, Ctx, QueriesParam, RequestContext, Route } from '@appconda/core';

import { CreateDatabaseDto, DatabaseModel, ListDto, UpdateDatabaseDto, UsageDto } from './databases.dto';
import { DatabaseList, DatabasesService } from './databases.service';
import { LogList, LogsService } from './logs.service';
import { UsageService } from './usage.service';
import { CollectionParamDto, DatabaseParamDto } from './params.dto';

const KEY = [AuthType.Key, AuthType.Admin];
const EVENT = 'databases.[databaseId]';
const usage = (action: string) => ({ metric: `databases.requests.${action}` });

/** /v1/databases: databases CRUD and the usage routes. */
@Controller('databases')
export class DatabasesController {
  constructor(
    private readonly logs: LogsService,
    private readonly service: DatabasesService,
    private readonly usage: UsageService,
  ) {}

  @Get()
  @Route({ auth: KEY, scope: 'databases.read', usage: usage('read') })
  list(@Ctx() ctx: RequestContext, @QueriesParam() queries: string[] | undefined, @Query() dto: ListDto): Promise<DatabaseList> {
    return this.service.listDatabases(ctx, { ...dto, queries });
  }

  @Post()
  @Route({ auth: KEY, scope: 'databases.write', status: 201, events: [`${EVENT}.create`], usage: usage('create'), audit: { event: 'database.create', resource: 'database/{response.$id}' } })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateDatabaseDto): Promise<DatabaseModel> {
    return this.service.createDatabase(ctx, dto);
  }

  @Get('usage')
  @Route({ auth: KEY, scope: 'collections.read' })
  getUsage(@Ctx() ctx: RequestContext, @Query() dto: UsageDto): Promise<Record<string, unknown>> {
    return this.usage.databasesUsage(ctx, dto.range);
  }

  @Get(':databaseId')
  @Route({ auth: KEY, scope: 'databases.read', usage: usage('read') })
  get(@Ctx() ctx: RequestContext, @Param() { databaseId }: DatabaseParamDto): Promise<DatabaseModel> {
    return this.service.getDatabase(ctx, databaseId);
  }

  @Put(':databaseId')
  @Route({ auth: KEY, scope: 'databases.write', events: [`${EVENT}.update`], usage: usage('update'), audit: { event: 'database.update', resource: 'database/{response.$id}' } })
  update(@Ctx() ctx: RequestContext, @Param() { databaseId }: DatabaseParamDto, @Body() dto: UpdateDatabaseDto): Promise<DatabaseModel> {
    return this.service.updateDatabase(ctx, databaseId, dto.name);
  }

  @Delete(':databaseId')
  @Route({ auth: KEY, scope: 'databases.write', status: 204, events: [`${EVENT}.delete`], usage: usage('delete'), audit: { event: 'database.delete', resource: 'database/{request.databaseId}' } })
  delete(@Ctx() ctx: RequestContext, @Param() { databaseId }: DatabaseParamDto): Promise<void> {
    return this.service.deleteDatabase(ctx, databaseId);
  }

  @Get(':databaseId/logs')
  @Route({ auth: KEY, scope: 'databases.read' })
  listLogs(@Ctx() ctx: RequestContext, @Param() { databaseId }: DatabaseParamDto, @QueriesParam() queries: string[] | undefined): Promise<LogList> {
    return this.logs.databaseLogs(ctx, databaseId, queries);
  }

  @Get(':databaseId/collections/:collectionId/logs')
  @Route({ auth: KEY, scope: 'collections.read' })
  listCollectionLogs(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId }: CollectionParamDto, @QueriesParam() queries: string[] | undefined): Promise<LogList> {
    return this.logs.collectionLogs(ctx, databaseId, collectionId, queries);
  }

  @Get(':databaseId/usage')
  @Route({ auth: KEY, scope: 'collections.read' })
  getDatabaseUsage(@Ctx() ctx: RequestContext, @Param() { databaseId }: DatabaseParamDto, @Query() dto: UsageDto): Promise<Record<string, unknown>> {
    return this.usage.databaseUsage(ctx, databaseId, dto.range);
  }

  @Get(':databaseId/collections/:collectionId/usage')
  @Route({ auth: KEY, scope: 'collections.read' })
  getCollectionUsage(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId }: CollectionParamDto, @Query() dto: UsageDto): Promise<Record<string, unknown>> {
    return this.usage.collectionUsage(ctx, databaseId, collectionId, dto.range);
  }
}
