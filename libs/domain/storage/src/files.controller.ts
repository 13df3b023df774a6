import { Body, Controller, Delete, Get, Headers, Param, Post, Put, Req, Res } from '@nestjs/common';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';
import type { FastifyReply } from 'fastify';

import { FilesService, OpenedFile } from './files.service';
import { viewContentType } from './mime';
import { ListQuery, ListQueryDto, UpdateFileDto } from './storage.dto';
import { UploadRequest } from './chunked-upload';
import { UploadService } from './upload.service';

/** Appwrite 1.3 roles: guests hold files.read/files.write too; bucket and file permissions decide (read("any")). */
export const CLIENTS = [AuthType.Guest, AuthType.Session, AuthType.Jwt, AuthType.Key, AuthType.Admin];
export const WRITE_LIMIT = { limit: 60, window: 60, key: 'ip:{ip},method:{method},url:{url},userId:{userId}' };
/** Appwrite 1.3 lets browsers cache file content for 45 days. */
const CACHE_SECONDS = 60 * 60 * 24 * 45;
/** 1.3's `files.{bucketId}.requests.*` usage (downloads and views are reads). */
export const fileUsage = (action: string, bucketId = '{request.bucketId}') => ({ metric: `files.requests.${action}`, labels: { bucketId } });

@Controller('storage/buckets/:bucketId/files')
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly uploads: UploadService,
  ) {}

  @Get()
  @Route({ auth: CLIENTS, scope: 'files.read', usage: fileUsage('read') })
  list(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @ListQuery() query: ListQueryDto) {
    return this.files.list(ctx, bucketId, query);
  }

  @Post()
  @Route({
    auth: CLIENTS,
    scope: 'files.write',
    status: 201,
    rateLimit: WRITE_LIMIT,
    events: ['buckets.[bucketId].files.[fileId].create'],
    usage: fileUsage('create'),
    audit: { event: 'file.create', resource: 'files/{response.$id}' },
  })
  create(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @Req() request: UploadRequest) {
    return this.uploads.create(ctx, bucketId, request);
  }

  @Get(':fileId')
  @Route({ auth: CLIENTS, scope: 'files.read', usage: fileUsage('read') })
  get(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @Param('fileId') fileId: string) {
    return this.files.get(ctx, bucketId, fileId);
  }

  @Put(':fileId')
  @Route({ auth: CLIENTS, scope: 'files.write', rateLimit: WRITE_LIMIT, events: ['buckets.[bucketId].files.[fileId].update'], usage: fileUsage('update'), audit: { event: 'file.update', resource: 'files/{response.$id}' } })
  update(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @Param('fileId') fileId: string, @Body() dto: UpdateFileDto) {
    return this.files.update(ctx, bucketId, fileId, dto);
  }

  @Delete(':fileId')
  @Route({ auth: CLIENTS, scope: 'files.write', status: 204, rateLimit: WRITE_LIMIT, events: ['buckets.[bucketId].files.[fileId].delete'], usage: fileUsage('delete'), audit: { event: 'file.delete', resource: 'file/{request.fileId}' } })
  delete(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @Param('fileId') fileId: string) {
    return this.files.delete(ctx, bucketId, fileId);
  }

  @Get(':fileId/download')
  @Route({ auth: CLIENTS, scope: 'files.read', usage: fileUsage('read') })
  async download(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @Param('fileId') fileId: string, @Headers('range') range: string | undefined, @Res() reply: FastifyReply) {
    return sendFile(reply, await this.files.openRead(ctx.projectId, bucketId, fileId, ctx, range), 'download');
  }

  @Get(':fileId/view')
  @Route({ auth: CLIENTS, scope: 'files.read', usage: fileUsage('read') })
  async view(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @Param('fileId') fileId: string, @Headers('range') range: string | undefined, @Res() reply: FastifyReply) {
    return sendFile(reply, await this.files.openRead(ctx.projectId, bucketId, fileId, ctx, range), 'view');
  }
}

/**
 * Streams file content: `download` as an attachment with the stored type, `view` inline with a type
 * that cannot run script (uploaded HTML/SVG never executes as the API's origin). Both honour ranges.
 */
export function sendFile(reply: FastifyReply, opened: OpenedFile, mode: 'download' | 'view') {
  const { file, range, stream } = opened;
  const contentType = mode === 'view' ? viewContentType(file.mimeType) : file.mimeType || 'application/octet-stream';
  const disposition = mode === 'view' ? 'inline' : 'attachment';
  if (mode === 'view') {
    reply.header('content-security-policy', "script-src 'none'; object-src 'none'");
    reply.header('x-content-type-options', 'nosniff');
  }
  const size = Number(file.sizeOriginal);
  const filename = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  reply.header('content-type', contentType);
  reply.header('content-disposition', `${disposition}; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  reply.header('expires', new Date(Date.now() + CACHE_SECONDS * 1000).toUTCString());
  reply.header('accept-ranges', 'bytes');
  if (range) {
    reply.code(206);
    reply.header('content-range', `bytes ${range.start}-${range.end}/${size}`);
    reply.header('content-length', String(range.end - range.start + 1));
  } else {
    reply.code(200);
    reply.header('content-length', String(size));
  }
  return reply.send(stream);
}
