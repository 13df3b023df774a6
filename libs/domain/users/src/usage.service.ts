import { Injectable } from '@nestjs/common';
import { Metric, requestFields, statKey, UsageStatsService } from '@appconda/usage';

/** The 1.3 `usageUsers` model. */
export interface UsageUsersModel {
  range: string;
  usersCount: Metric[];
  usersCreate: Metric[];
  usersRead: Metric[];
  usersUpdate: Metric[];
  usersDelete: Metric[];
  sessionsCreate: Metric[];
  sessionsProviderCreate: Metric[];
  sessionsDelete: Metric[];
}

/** `GET /v1/users/usage` from the usage statistics; `provider` selects `sessionsProviderCreate` (email, anonymous, …). */
@Injectable()
export class UsersUsageService {
  constructor(private readonly stats: UsageStatsService) {}

  usage(projectId: string, range: string, provider = ''): Promise<UsageUsersModel> {
    return this.stats.series(projectId, range, {
      usersCount: 'users.count',
      ...requestFields('users'),
      sessionsCreate: 'sessions.requests.create',
      // Without a provider 1.3 reads a metric nobody writes: zeros.
      sessionsProviderCreate: provider ? statKey('sessions.requests.create', provider) : 'sessions.requests.create:',
      sessionsDelete: 'sessions.requests.delete',
    });
  }
}
