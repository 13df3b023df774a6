import { Body, Controller, Delete, Get, Headers, Param, Post, Put, Req, Res } from '@nestjs/common';
import { Ctx, RequestContext, Route } from '@appconda/core';
import type { FastifyReply } from 'fastify';

import { CLIENTS, fileUsage, sendFile, WRITE_LIMIT } from './files.controller';
import { FilesService } from './files.service';
import { ListQuery, ListQueryDto, UpdateFileDto } from './storage.dto';
import { UploadRequest } from './chunked-upload';
import { UploadService } from './upload.service';
/** Appwrite 1.3 keeps the pre-bucket paths as aliases for the bucket `default`. */
const DEFAULT_BUCKET = 'default';

/** `/v1/storage/files…`: the 0.x routes, served by the bucket routes with bucketId `default`. */
@Controller('storage/files')
export class LegacyFilesController {
  constructor(
    private readonly files: FilesService,
    private readonly uploads: UploadService,
  ) {}

  @Get()
  @Route({ auth: CLIENTS, scope: 'files.read', usage: fileUsage('read', DEFAULT_BUCKET) })
  list(@Ctx() ctx: RequestContext, @ListQuery() query: ListQueryDto) {
    return this.files.list(ctx, DEFAULT_BUCKET, query);
  }

  @Post()
  @Route({ auth: CLIENTS, scope: 'files.write', status: 201, rateLimit: WRITE_LIMIT, events: ['buckets.[bucketId].files.[fileId].create'], usage: fileUsage('create', DEFAULT_BUCKET), audit: { event: 'file.create', resource: 'files/{response.$id}' } })
  create(@Ctx() ctx: RequestContext, @Req() request: UploadRequest) {
    return this.uploads.create(ctx, DEFAULT_BUCKET, request);
  }

  @Get(':fileId')
  @Route({ auth: CLIENTS, scope: 'files.read', usage: fileUsage('read', DEFAULT_BUCKET) })
  get(@Ctx() ctx: RequestContext, @Param('fileId') fileId: string) {
    return this.files.get(ctx, DEFAULT_BUCKET, fileId);
  }

  @Put(':fileId')
  @Route({ auth: CLIENTS, scope: 'files.write', rateLimit: WRITE_LIMIT, events: ['buckets.[bucketId].files.[fileId].update'], usage: fileUsage('update', DEFAULT_BUCKET), audit: { event: 'file.update', resource: 'files/{response.$id}' } })
  update(@Ctx() ctx: RequestContext, @Param('fileId') fileId: string, @Body() dto: UpdateFileDto) {
    return this.files.update(ctx, DEFAULT_BUCKET, fileId, dto);
  }

  @Delete(':fileId')
  @Route({ auth: CLIENTS, scope: 'files.write', status: 204, rateLimit: WRITE_LIMIT, events: ['buckets.[bucketId].files.[fileId].delete'], usage: fileUsage('delete', DEFAULT_BUCKET), audit: { event: 'file.delete', resource: 'file/{request.fileId}' } })
  delete(@Ctx() ctx: RequestContext, @Param('fileId') fileId: string) {
    return this.files.delete(ctx, DEFAULT_BUCKET, fileId);
  }

  @Get(':fileId/download')
  @Route({ auth: CLIENTS, scope: 'files.read', usage: fileUsage('read', DEFAULT_BUCKET) })
  async download(@Ctx() ctx: RequestContext, @Param('fileId') fileId: string, @Headers('range') range: string | undefined, @Res() reply: FastifyReply) {
    return sendFile(reply, await this.files.openRead(ctx.projectId, DEFAULT_BUCKET, fileId, ctx, range), 'download');
  }

  @Get(':fileId/view')
  @Route({ auth: CLIENTS, scope: 'files.read', usage: fileUsage('read', DEFAULT_BUCKET) })
  async view(@Ctx() ctx: RequestContext, @Param('fileId') fileId: string, @Headers('range') range: string | undefined, @Res() reply: FastifyReply) {
    return sendFile(reply, await this.files.openRead(ctx.projectId, DEFAULT_BUCKET, fileId, ctx, range), 'view');
  }
}
