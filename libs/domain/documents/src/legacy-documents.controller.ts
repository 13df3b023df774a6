import { Body, Controller, Delete, Get, Headers, Param, Patch, Post } from '@nestjs/common';
import { Ctx, QueriesParam, RequestContext, Route } from '@appconda/core';

import { DocumentList, DocumentModel } from './document.model';
import { CALLERS, EVENT, LIMIT_KEY, RESOURCE, TIMESTAMP } from './documents.controller';
import { DocumentBody, DocumentsService } from './documents.service';

/** The pre-1.0 database every legacy `/v1/database/...` route works on. */
export const LEGACY_DATABASE = 'default';

/** 1.3's legacy aliases `/v1/database/collections/:collectionId/documents…` (database `default`). */
@Controller('database/collections/:collectionId/documents')
export class LegacyDocumentsController {
  constructor(private readonly service: DocumentsService) {}

  @Get()
  @Route({ auth: CALLERS, scope: 'documents.read' })
  list(@Ctx() ctx: RequestContext, @Param('collectionId') collectionId: string, @QueriesParam() queries: string[] | undefined): Promise<DocumentList> {
    return this.service.list(ctx, LEGACY_DATABASE, collectionId, queries);
  }

  @Post()
  @Route({ auth: CALLERS, scope: 'documents.write', status: 201, rateLimit: { limit: 120, window: 60, key: LIMIT_KEY }, events: [`${EVENT}.create`], audit: { event: 'document.create', resource: `${RESOURCE}/{response.$id}` } })
  create(@Ctx() ctx: RequestContext, @Param('collectionId') collectionId: string, @Body() body: DocumentBody): Promise<DocumentModel> {
    return this.service.create(ctx, LEGACY_DATABASE, collectionId, body ?? {});
  }

  @Get(':documentId')
  @Route({ auth: CALLERS, scope: 'documents.read' })
  get(@Ctx() ctx: RequestContext, @Param('collectionId') collectionId: string, @Param('documentId') documentId: string, @QueriesParam() queries: string[] | undefined): Promise<DocumentModel> {
    return this.service.get(ctx, LEGACY_DATABASE, collectionId, documentId, queries);
  }

  @Patch(':documentId')
  @Route({ auth: CALLERS, scope: 'documents.write', rateLimit: { limit: 120, window: 60, key: LIMIT_KEY }, events: [`${EVENT}.update`], audit: { event: 'document.update', resource: `${RESOURCE}/{response.$id}` } })
  update(@Ctx() ctx: RequestContext, @Param('collectionId') collectionId: string, @Param('documentId') documentId: string, @Body() body: DocumentBody, @Headers(TIMESTAMP) timestamp?: string): Promise<DocumentModel> {
    return this.service.update(ctx, LEGACY_DATABASE, collectionId, documentId, body ?? {}, timestamp);
  }

  @Delete(':documentId')
  @Route({ auth: CALLERS, scope: 'documents.write', status: 204, rateLimit: { limit: 60, window: 60, key: LIMIT_KEY }, events: [`${EVENT}.delete`], audit: { event: 'document.delete', resource: `${RESOURCE}/{request.documentId}` } })
  delete(@Ctx() ctx: RequestContext, @Param('collectionId') collectionId: string, @Param('documentId') documentId: string, @Headers(TIMESTAMP) timestamp?: string): Promise<void> {
    return this.service.delete(ctx, LEGACY_DATABASE, collectionId, documentId, timestamp);
  }
}
