import { Controller, Get, Param, Query } from '@nestjs/common';
import { Scope } from '@appconda/contracts';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';
import { IsIn, IsOptional } from 'class-validator';

import { STORAGE_USAGE_RANGES, StorageUsageService, UsageBucketsModel, UsageStorageModel } from './usage.service';

/** `range` of the usage routes (1.3 WhiteList, default 30d). */
export class StorageUsageDto {
  @IsOptional() @IsIn(STORAGE_USAGE_RANGES, { message: `Value must be one of (${STORAGE_USAGE_RANGES.join(', ')})` }) range = '30d';
}

/** Console-only charts: 1.3 accepts console admins only (no API keys, no project users). */
const CONSOLE = { auth: [AuthType.Admin], scope: Scope.FilesRead };

@Controller('storage')
export class StorageUsageController {
  constructor(private readonly usage: StorageUsageService) {}

  @Get('usage')
  @Route(CONSOLE)
  storageUsage(@Ctx() ctx: RequestContext, @Query() dto: StorageUsageDto): Promise<UsageStorageModel> {
    return this.usage.storageUsage(ctx.projectId, dto.range);
  }

  @Get(':bucketId/usage')
  @Route(CONSOLE)
  bucketUsage(@Ctx() ctx: RequestContext, @Param('bucketId') bucketId: string, @Query() dto: StorageUsageDto): Promise<UsageBucketsModel> {
    return this.usage.bucketUsage(ctx.projectId, bucketId, dto.range);
  }
}
