import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';

import { BucketsService } from './buckets.service';
import { CreateBucketDto, ListQuery, ListQueryDto, UpdateBucketDto } from './storage.dto';

const SERVER = [AuthType.Key, AuthType.Admin];
const usage = (action: string) => ({ metric: `buckets.requests.${action}` });

@Controller('storage/buckets')
export class BucketsController {
  constructor(private readonly buckets: BucketsService) {}

  @Get()
  @Route({ auth: SERVER, scope: 'buckets.read', usage: usage('read') })
  list(@Ctx() ctx: RequestContext, @ListQuery() query: ListQueryDto) {
    return this.buckets.list(ctx, query);
  }

  @Post()
  @Route({ auth: SERVER, scope: 'buckets.write', status: 201, events: ['buckets.[bucketId].create'], usage: usage('create'), audit: { event: 'bucket.create', resource: 'buckets/{response.$id}' } })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateBucketDto) {
    return this.buckets.create(ctx, dto);
  }

  @Get(':bucketId')
  @Route({ auth: SERVER, scope: 'buckets.read', usage: usage('read') })
  get(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string) {
    return this.buckets.get(ctx, bucketId);
  }

  @Put(':bucketId')
  @Route({ auth: SERVER, scope: 'buckets.write', events: ['buckets.[bucketId].update'], usage: usage('update'), audit: { event: 'bucket.update', resource: 'buckets/{response.$id}' } })
  update(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @Body() dto: UpdateBucketDto) {
    return this.buckets.update(ctx, bucketId, dto);
  }

  @Delete(':bucketId')
  @Route({ auth: SERVER, scope: 'buckets.write', status: 204, events: ['buckets.[bucketId].delete'], usage: usage('delete'), audit: { event: 'bucket.delete', resource: 'buckets/{request.bucketId}' } })
  async delete(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string): Promise<void> {
    await this.buckets.delete(ctx, bucketId);
  }
}
