import { Injectable } from '@nestjs/common';
import { RequestContext } from '@appconda/core';
import { AuditRepository } from '@appconda/database';
import { parseQueries, SystemListSchemas, validateQueries } from '@appconda/query';
import { LogModel, toLogModel } from '@appconda/users';

import { DatabasesService } from './databases.service';

export interface LogList {
  total: number;
  logs: LogModel[];
}

/** The audit trail of a database or collection (1.3 resources `database/<id>`, `database/<id>/collection/<id>`). */
@Injectable()
export class LogsService {
  constructor(
    private readonly audits: AuditRepository,
    private readonly databases: DatabasesService,
  ) {}

  async databaseLogs(ctx: RequestContext, databaseId: string, queries: unknown): Promise<LogList> {
    const database = await this.databases.findDatabase(ctx, databaseId);
    return this.logs(ctx, `database/${database.uid}`, queries);
  }

  async collectionLogs(ctx: RequestContext, databaseId: string, collectionId: string, queries: unknown): Promise<LogList> {
    const { database, collection } = await this.databases.findCollection(ctx, databaseId, collectionId);
    return this.logs(ctx, `database/${database.uid}/collection/${collection.uid}`, queries);
  }

  private async logs(ctx: RequestContext, resource: string, queries: unknown): Promise<LogList> {
    const groups = validateQueries(parseQueries(queries ?? []), SystemListSchemas.logs);
    const [entries, total] = await Promise.all([
      this.audits.listByResource(ctx.projectId, resource, { limit: groups.limit, offset: groups.offset }),
      this.audits.countByResource(ctx.projectId, resource),
    ]);
    return { total, logs: entries.map(toLogModel) };
  }
}
