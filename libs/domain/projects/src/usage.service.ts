import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { RequestContext } from '@appconda/core';
import { Metric, UsageStatsService } from '@appconda/usage';

import { ProjectAccess } from './project-access';

export type { Metric } from '@appconda/usage';

export interface UsageProject {
  range: string;
  requests: Metric[];
  network: Metric[];
  executions: Metric[];
  documents: Metric[];
  databases: Metric[];
  users: Metric[];
  storage: Metric[];
  buckets: Metric[];
}

export interface ConsoleVariables {
  _APP_DOMAIN_TARGET: string;
  _APP_STORAGE_LIMIT: number;
  _APP_FUNCTIONS_SIZE_LIMIT: number;
  _APP_USAGE_STATS: string;
}

/**
 * Project usage charts from the usage statistics (requests and bytes of every API call, and the
 * counts of documents, databases, users, stored bytes and buckets, function executions), and the console's variables.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly access: ProjectAccess,
    private readonly config: AppConfig,
    private readonly stats: UsageStatsService,
  ) {}

  async projectUsage(ctx: RequestContext, projectId: string, range: string): Promise<UsageProject> {
    const project = await this.access.project(ctx, projectId);
    return this.stats.series(project.uid, range, {
      requests: 'requests',
      network: 'network',
      executions: 'executions.compute.total',
      documents: 'documents.count',
      databases: 'databases.count',
      users: 'users.count',
      storage: 'files.storage',
      buckets: 'buckets.count',
    });
  }

  variables(ctx: RequestContext): ConsoleVariables {
    this.access.consoleUser(ctx);
    return {
      _APP_DOMAIN_TARGET: this.config.get('domainTarget'),
      _APP_STORAGE_LIMIT: this.config.get('storage').limit,
      _APP_FUNCTIONS_SIZE_LIMIT: this.config.get('functions').sizeLimit,
      _APP_USAGE_STATS: this.config.get('usage').enabled ? 'enabled' : 'disabled',
    };
  }
}
