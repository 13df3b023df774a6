import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { AuthType, Ctx, QueriesParam, RequestContext, Route } from '@appconda/core';

import { CollectionModel, CreateCollectionDto, ListDto, UpdateCollectionDto } from './databases.dto';
import { CollectionList, DatabasesService } from './databases.service';
import { CollectionParamDto, DatabaseParamDto } from './params.dto';

const KEY = [AuthType.Key, AuthType.Admin];
const EVENT = 'databases.[databaseId].collections.[collectionId]';
const RESOURCE = 'database/{request.databaseId}/collection/{request.collectionId}';
/** 1.3's `collections.{scope}.requests.*` usage, per database (attribute and index routes count as collection reads and updates). */
export const usage = (action: string) => ({ metric: `collections.requests.${action}`, labels: { databaseId: '{request.databaseId}' } });

/** /v1/databases/:databaseId/collections. */
@Controller('databases/:databaseId/collections')
export class CollectionsController {
  constructor(private readonly service: DatabasesService) {}

  @Get()
  @Route({ auth: KEY, scope: 'collections.read', usage: usage('read') })
  list(@Ctx() ctx: RequestContext, @Param() { databaseId }: DatabaseParamDto, @QueriesParam() queries: string[] | undefined, @Query() dto: ListDto): Promise<CollectionList> {
    return this.service.listCollections(ctx, databaseId, { ...dto, queries });
  }

  @Post()
  @Route({ auth: KEY, scope: 'collections.write', status: 201, events: [`${EVENT}.create`], usage: usage('create'), audit: { event: 'collection.create', resource: 'database/{request.databaseId}/collection/{response.$id}' } })
  create(@Ctx() ctx: RequestContext, @Param() { databaseId }: DatabaseParamDto, @Body() dto: CreateCollectionDto): Promise<CollectionModel> {
    return this.service.createCollection(ctx, databaseId, dto);
  }

  @Get(':collectionId')
  @Route({ auth: KEY, scope: 'collections.read', usage: usage('read') })
  get(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId }: CollectionParamDto): Promise<CollectionModel> {
    return this.service.getCollection(ctx, databaseId, collectionId);
  }

  @Put(':collectionId')
  @Route({ auth: KEY, scope: 'collections.write', events: [`${EVENT}.update`], usage: usage('update'), audit: { event: 'collection.update', resource: RESOURCE } })
  update(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId }: CollectionParamDto, @Body() dto: UpdateCollectionDto): Promise<CollectionModel> {
    return this.service.updateCollection(ctx, databaseId, collectionId, dto);
  }

  @Delete(':collectionId')
  @Route({ auth: KEY, scope: 'collections.write', status: 204, events: [`${EVENT}.delete`], usage: usage('delete'), audit: { event: 'collection.delete', resource: RESOURCE } })
  delete(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId }: CollectionParamDto): Promise<void> {
    return this.service.deleteCollection(ctx, databaseId, collectionId);
  }
}
