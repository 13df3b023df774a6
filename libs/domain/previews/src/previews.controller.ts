import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';
import type { FastifyReply } from 'fastify';

import { PreviewQuery } from './preview.params';
import { Preview, PreviewsService } from './previews.service';

/**
 * Guests hold `files.read` in 1.3 (roles.json), so a public file's preview works in an `<img>`
 * without a session; bucket and file permissions decide the rest.
 */
const READ = { auth: [AuthType.Guest, AuthType.Session, AuthType.Jwt, AuthType.Key, AuthType.Admin], scope: 'files.read' };

/** Appwrite 1.3 lets clients keep previews for 30 days. */
const CACHE_SECONDS = 60 * 60 * 24 * 30;

/** The bucket of the pre-bucket (0.x) routes, which 1.3 keeps as aliases. */
const DEFAULT_BUCKET = 'default';

function send(reply: FastifyReply, preview: Preview): FastifyReply {
  return reply
    .code(200)
    .header('content-type', preview.contentType)
    .header('cache-control', `private, max-age=${CACHE_SECONDS}`)
    .header('expires', new Date(Date.now() + CACHE_SECONDS * 1000).toUTCString())
    .header('x-appwrite-cache', preview.cache)
    .send(preview.body);
}

@Controller('storage')
export class PreviewsController {
  constructor(private readonly previews: PreviewsService) {}

  @Get('buckets/:bucketId/files/:fileId/preview')
  @Route(READ)
  async preview(
    @Ctx() ctx: RequestContext,
    @Param('bucketId') bucketId: string,
    @Param('fileId') fileId: string,
    @Query() query: PreviewQuery,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return send(reply, await this.previews.preview(ctx, bucketId, fileId, query, accept));
  }

  @Get('files/:fileId/preview')
  @Route(READ)
  async legacyPreview(@Ctx() ctx: RequestContext, @Param('fileId') fileId: string, @Query() query: PreviewQuery, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return send(reply, await this.previews.preview(ctx, DEFAULT_BUCKET, fileId, query, accept));
  }
}
