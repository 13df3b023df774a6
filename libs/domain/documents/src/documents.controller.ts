import { Body, Controller, Delete, Get, Headers, Param, Patch, Post } from '@nestjs/common';
import { AuthType, Ctx, QueriesParam, RequestContext, Route } from '@appconda/core';
import { LogModel } from '@appconda/users';

import { DocumentList, DocumentModel } from './document.model';
import { DocumentBody, DocumentsService } from './documents.service';

/** Users (session, JWT), keys, console admins, and guests where the collection's permissions let them. */
export const CALLERS = [AuthType.Guest, AuthType.Session, AuthType.Jwt, AuthType.Key, AuthType.Admin];
export const LIMIT_KEY = 'ip:{ip},method:{method},url:{url},userId:{userId}';
export const EVENT = 'databases.[databaseId].collections.[collectionId].documents.[documentId]';
export const RESOURCE = 'database/{request.databaseId}/collection/{request.collectionId}/document';
export const TIMESTAMP = 'x-appwrite-timestamp';

/**
 * /v1/databases/:databaseId/collections/:collectionId/documents. Bodies are typed as plain objects on
 * purpose: the service validates them with 1.3's messages, so the hot path skips class-validator.
 */
@Controller('databases/:databaseId/collections/:collectionId/documents')
export class DocumentsController {
  constructor(private readonly service: DocumentsService) {}

  @Get()
  @Route({ auth: CALLERS, scope: 'documents.read', usage: { metric: 'documents.requests.read', labels: { databaseId: '{request.databaseId}', collectionId: '{request.collectionId}' } } })
  list(@Ctx() ctx: RequestContext, @Param('databaseId') databaseId: string, @Param('collectionId') collectionId: string, @QueriesParam() queries: string[] | undefined): Promise<DocumentList> {
    return this.service.list(ctx, databaseId, collectionId, queries);
  }

  @Post()
  @Route({
    auth: CALLERS,
    scope: 'documents.write',
    status: 201,
    rateLimit: { limit: 120, window: 60, key: LIMIT_KEY },
    events: [`${EVENT}.create`],
    usage: { metric: 'documents.requests.create', labels: { databaseId: '{request.databaseId}', collectionId: '{request.collectionId}' } },
    audit: { event: 'document.create', resource: `${RESOURCE}/{response.$id}` },
  })
  create(@Ctx() ctx: RequestContext, @Param('databaseId') databaseId: string, @Param('collectionId') collectionId: string, @Body() body: DocumentBody): Promise<DocumentModel> {
    return this.service.create(ctx, databaseId, collectionId, body ?? {});
  }

  @Get(':documentId')
  @Route({ auth: CALLERS, scope: 'documents.read', usage: { metric: 'documents.requests.read', labels: { databaseId: '{request.databaseId}', collectionId: '{request.collectionId}' } } })
  get(
    @Ctx() ctx: RequestContext,
    @Param('databaseId') databaseId: string,
    @Param('collectionId') collectionId: string,
    @Param('documentId') documentId: string,
    @QueriesParam() queries: string[] | undefined,
  ): Promise<DocumentModel> {
    return this.service.get(ctx, databaseId, collectionId, documentId, queries);
  }

  @Get(':documentId/logs')
  @Route({ auth: [AuthType.Key, AuthType.Admin], scope: 'documents.read' })
  logs(
    @Ctx() ctx: RequestContext,
    @Param('databaseId') databaseId: string,
    @Param('collectionId') collectionId: string,
    @Param('documentId') documentId: string,
    @QueriesParam() queries: string[] | undefined,
  ): Promise<{ total: number; logs: LogModel[] }> {
    return this.service.logs(ctx, databaseId, collectionId, documentId, queries);
  }

  @Patch(':documentId')
  @Route({
    auth: CALLERS,
    scope: 'documents.write',
    rateLimit: { limit: 120, window: 60, key: LIMIT_KEY },
    events: [`${EVENT}.update`],
    usage: { metric: 'documents.requests.update', labels: { databaseId: '{request.databaseId}', collectionId: '{request.collectionId}' } },
    audit: { event: 'document.update', resource: `${RESOURCE}/{response.$id}` },
  })
  update(
    @Ctx() ctx: RequestContext,
    @Param('databaseId') databaseId: string,
    @Param('collectionId') collectionId: string,
    @Param('documentId') documentId: string,
    @Body() body: DocumentBody,
    @Headers(TIMESTAMP) timestamp?: string,
  ): Promise<DocumentModel> {
    return this.service.update(ctx, databaseId, collectionId, documentId, body ?? {}, timestamp);
  }

  @Delete(':documentId')
  @Route({
    auth: CALLERS,
    scope: 'documents.write',
    status: 204,
    rateLimit: { limit: 60, window: 60, key: LIMIT_KEY },
    events: [`${EVENT}.delete`],
    usage: { metric: 'documents.requests.delete', labels: { databaseId: '{request.databaseId}', collectionId: '{request.collectionId}' } },
    audit: { event: 'document.delete', resource: `${RESOURCE}/{request.documentId}` },
  })
  delete(
    @Ctx() ctx: RequestContext,
    @Param('databaseId') databaseId: string,
    @Param('collectionId') collectionId: string,
    @Param('documentId') documentId: string,
    @Headers(TIMESTAMP) timestamp?: string,
  ): Promise<void> {
    return this.service.delete(ctx, databaseId, collectionId, documentId, timestamp);
  }
}
