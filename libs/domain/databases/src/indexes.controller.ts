import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';

import { CreateIndexDto, IndexModel } from './attributes.dto';
import { usage } from './collections.controller';
import { IndexesService, IndexList } from './indexes.service';
import { AttributeParamDto, CollectionParamDto } from './params.dto';

const KEY = [AuthType.Key, AuthType.Admin];
const EVENT = 'databases.[databaseId].collections.[collectionId].indexes.[indexId]';
const AUDIT = 'database/{request.databaseId}/collection/{request.collectionId}';

/** /v1/databases/:databaseId/collections/:collectionId/indexes. */
@Controller('databases/:databaseId/collections/:collectionId/indexes')
export class IndexesController {
  constructor(private readonly service: IndexesService) {}

  @Get()
  @Route({ auth: KEY, scope: 'collections.read', usage: usage('read') })
  list(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId }: CollectionParamDto): Promise<IndexList> {
    return this.service.list(ctx, databaseId, collectionId);
  }

  @Post()
  @Route({ auth: KEY, scope: 'collections.write', status: 202, events: [`${EVENT}.create`], audit: { event: 'index.create', resource: AUDIT }, usage: usage('update') })
  create(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId }: CollectionParamDto, @Body() dto: CreateIndexDto): Promise<IndexModel> {
    return this.service.create(ctx, databaseId, collectionId, dto);
  }

  @Get(':key')
  @Route({ auth: KEY, scope: 'collections.read', usage: usage('read') })
  get(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId, key }: AttributeParamDto): Promise<IndexModel> {
    return this.service.get(ctx, databaseId, collectionId, key);
  }

  @Delete(':key')
  @Route({ auth: KEY, scope: 'collections.write', status: 204, events: [`${EVENT}.delete`], audit: { event: 'index.delete', resource: AUDIT }, usage: usage('update') })
  delete(@Ctx() ctx: RequestContext, @Param() { databaseId, collectionId, key }: AttributeParamDto): Promise<void> {
    return this.service.delete(ctx, databaseId, collectionId, key);
  }
}
