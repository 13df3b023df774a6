import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { AuthType, Ctx, RequestContext, Route, RouteDeclaration } from '@appconda/core';

import { booleanChange, booleanDraft, datetimeDraft, enumChange, enumDraft, floatDraft, formatDraft, integerDraft, numberChange, stringDraft, textChange } from './attribute.drafts';
import * as Dto from './attributes.dto';
import { AttributeList, AttributesService } from './attributes.service';
import { usage } from './collections.controller';
import { AttributeParamDto, CollectionParamDto } from './params.dto';


type Model = Promise<Dto.AttributeModel>;

const KEY = [AuthType.Key, AuthType.Admin];
const EVENT = 'databases.[databaseId].collections.[collectionId].attributes.[attributeId]';
const AUDIT = 'database/{request.databaseId}/collection/{request.collectionId}';
const CREATE: RouteDeclaration = { auth: KEY, scope: 'collections.write', status: 202, events: [`${EVENT}.create`], audit: { event: 'attribute.create', resource: AUDIT }, usage: usage('update') };
const UPDATE: RouteDeclaration = { auth: KEY, scope: 'collections.write', events: [`${EVENT}.update`], audit: { event: 'attribute.update', resource: AUDIT }, usage: usage('update') };

/** /v1/databases/:databaseId/collections/:collectionId/attributes — one create (and 1.3.x update) route per type. */
@Controller('databases/:databaseId/collections/:collectionId/attributes')
export class AttributesController {
  constructor(private readonly service: AttributesService) {}

  @Get()
  @Route({ auth: KEY, scope: 'collections.read', usage: usage('read') })
  list(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto): Promise<AttributeList> {
    return this.service.list(ctx, p.databaseId, p.collectionId);
  }

  @Post('string') @Route(CREATE)
  createString(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateStringAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, stringDraft(dto));
  }

  @Post('email') @Route(CREATE)
  createEmail(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateTextAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, formatDraft('email', dto));
  }

  @Post('enum') @Route(CREATE)
  createEnum(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateEnumAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, enumDraft(dto));
  }

  @Post('ip') @Route(CREATE)
  createIp(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateTextAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, formatDraft('ip', dto));
  }

  @Post('url') @Route(CREATE)
  createUrl(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateTextAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, formatDraft('url', dto));
  }

  @Post('integer') @Route(CREATE)
  createInteger(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateIntegerAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, integerDraft(dto));
  }

  @Post('float') @Route(CREATE)
  createFloat(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateFloatAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, floatDraft(dto));
  }

  @Post('boolean') @Route(CREATE)
  createBoolean(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateBooleanAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, booleanDraft(dto));
  }

  @Post('datetime') @Route(CREATE)
  createDatetime(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateTextAttributeDto): Model {
    return this.service.create(ctx, p.databaseId, p.collectionId, datetimeDraft(dto));
  }

  @Post('relationship') @Route(CREATE)
  createRelationship(@Ctx() ctx: RequestContext, @Param() p: CollectionParamDto, @Body() dto: Dto.CreateRelationshipAttributeDto): Model {
    return this.service.createRelationship(ctx, p.databaseId, p.collectionId, dto);
  }

  @Patch('string/:key') @Route(UPDATE)
  updateString(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateTextAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'string', format: '' }, textChange('', dto));
  }

  @Patch('email/:key') @Route(UPDATE)
  updateEmail(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateTextAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'string', format: 'email' }, textChange('email', dto));
  }

  @Patch('enum/:key') @Route(UPDATE)
  updateEnum(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateEnumAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'string', format: 'enum' }, enumChange(dto));
  }

  @Patch('ip/:key') @Route(UPDATE)
  updateIp(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateTextAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'string', format: 'ip' }, textChange('ip', dto));
  }

  @Patch('url/:key') @Route(UPDATE)
  updateUrl(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateTextAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'string', format: 'url' }, textChange('url', dto));
  }

  @Patch('integer/:key') @Route(UPDATE)
  updateInteger(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateIntegerAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'integer', format: '' }, numberChange('integer', dto));
  }

  @Patch('float/:key') @Route(UPDATE)
  updateFloat(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateFloatAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'double', format: '' }, numberChange('double', dto));
  }

  @Patch('boolean/:key') @Route(UPDATE)
  updateBoolean(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateBooleanAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'boolean', format: '' }, booleanChange(dto));
  }

  @Patch('datetime/:key') @Route(UPDATE)
  updateDatetime(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateTextAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'datetime', format: '' }, textChange('datetime', dto));
  }

  @Patch(':key/relationship') @Route(UPDATE)
  updateRelationship(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto, @Body() dto: Dto.UpdateRelationshipAttributeDto): Model {
    return this.service.update(ctx, p.databaseId, p.collectionId, p.key, { type: 'relationship', format: '' }, (attribute) => ({ options: { ...attribute.options, onDelete: dto.onDelete ?? attribute.options.onDelete } }));
  }

  @Get(':key')
  @Route({ auth: KEY, scope: 'collections.read', usage: usage('read') })
  get(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto): Model {
    return this.service.get(ctx, p.databaseId, p.collectionId, p.key);
  }

  @Delete(':key')
  @Route({ auth: KEY, scope: 'collections.write', status: 204, events: [`${EVENT}.delete`], audit: { event: 'attribute.delete', resource: AUDIT }, usage: usage('update') })
  delete(@Ctx() ctx: RequestContext, @Param() p: AttributeParamDto): Promise<void> {
    return this.service.delete(ctx, p.databaseId, p.collectionId, p.key);
  }
}
