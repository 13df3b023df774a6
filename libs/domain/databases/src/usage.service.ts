import { Injectable } from '@nestjs/common';
import { RequestContext } from '@appconda/core';
import { requestFields as requests, statKey, UsageStatsService } from '@appconda/usage';

import { DatabasesService } from './databases.service';

/**
 * Usage of the Databases service (1.3 `usageDatabases`, `usageDatabase`, `usageCollection`): counts
 * and per-period requests from the usage statistics, per project, database or collection.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly databases: DatabasesService,
    private readonly stats: UsageStatsService,
  ) {}

  databasesUsage(ctx: RequestContext, range = '30d'): Promise<Record<string, unknown>> {
    return this.stats.series(ctx.projectId, range, {
      databasesCount: 'databases.count',
      documentsCount: 'documents.count',
      collectionsCount: 'collections.count',
      ...requests('databases'),
      ...requests('documents'),
      ...requests('collections'),
    });
  }

  async databaseUsage(ctx: RequestContext, databaseId: string, range = '30d'): Promise<Record<string, unknown>> {
    await this.databases.findDatabase(ctx, databaseId);
    return this.stats.series(ctx.projectId, range, {
      documentsCount: statKey('documents.count', databaseId),
      collectionsCount: statKey('collections.count', databaseId),
      ...requests('documents', databaseId),
      ...requests('collections', databaseId),
    });
  }

  async collectionUsage(ctx: RequestContext, databaseId: string, collectionId: string, range = '30d'): Promise<Record<string, unknown>> {
    await this.databases.findCollection(ctx, databaseId, collectionId);
    return this.stats.series(ctx.projectId, range, {
      documentsCount: statKey('documents.count', databaseId, collectionId),
      ...requests('documents', databaseId, collectionId),
    });
  }
}
