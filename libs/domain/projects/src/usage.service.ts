import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { RequestContext, toApiDate } from '@appconda/core';
import { UserRepository } from '@appconda/database';

import { ProjectAccess } from './project-access';
import { USAGE_RANGES } from './projects.catalog';

export interface Metric {
  value: number;
  date: string;
}

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
 * The bucket start times of a range, oldest first, ending with the bucket holding `now`
 * (1.3 charts 48 half-hours for 24h, and days for 7d/30d/90d).
 */
export function usageDates(range: string, now = Date.now()): string[] {
  const { period, limit } = USAGE_RANGES[range];
  const current = Math.floor(now / 1000 / period) * period;
  return Array.from({ length: limit }, (_, i) => toApiDate((current - (limit - 1 - i) * period) * 1000));
}

/**
 * Project usage charts and the console's variables. No usage statistics are collected yet (the usage
 * capability will write them), so every series is zero-filled over the range, except the counts that
 * can be read now: the project's current number of users is the value of the latest `users` bucket.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly access: ProjectAccess,
    private readonly config: AppConfig,
    private readonly users: UserRepository,
  ) {}

  async projectUsage(ctx: RequestContext, projectId: string, range: string): Promise<UsageProject> {
    const project = await this.access.project(ctx, projectId);
    if (!this.config.get('usage').enabled) {
      // 1.3 answers an empty usage document when statistics are off.
      return { range: '', requests: [], network: [], executions: [], documents: [], databases: [], users: [], storage: [], buckets: [] };
    }
    const dates = usageDates(range);
    const zeros = () => dates.map((date) => ({ value: 0, date }));
    const users = zeros();
    users[users.length - 1].value = await this.users.count(project.uid);
    return { range, requests: zeros(), network: zeros(), executions: zeros(), documents: zeros(), databases: zeros(), users, storage: zeros(), buckets: zeros() };
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
