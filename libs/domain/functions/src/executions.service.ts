import { Injectable } from '@nestjs/common';
import { signJwt } from '@appconda/auth';
import { AppConfig } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { AppException, AuthType, ErrorType, generateId, RequestContext, setEventParam } from '@appconda/core';
import { ExecutionEntity, ExecutionRepository, FunctionEntity, FunctionRepository } from '@appconda/database';
import { Identity } from '@appconda/identity';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';

import { ExecutionRunner } from './execution-runner';
import { CreateExecutionDto, Execution, pendingExecution, toExecutionModel } from './functions.dto';
import { ListQueryDto } from './functions.service';

/** Roles a caller holds for permission checks; API keys and console admins skip them (1.3). */
const readRoles = (ctx: RequestContext): string[] | null => (ctx.skipPermissions ? null : [...ctx.roles]);

/**
 * Executions over HTTP: create (sync → 201 with the finished execution, async → 202 `waiting` for
 * worker-functions), list and get. Users see only executions they started; stdout and stderr only
 * reach API keys and console admins.
 */
@Injectable()
export class ExecutionsService {
  constructor(
    private readonly config: AppConfig,
    private readonly executions: ExecutionRepository,
    private readonly functions: FunctionRepository,
    @InjectJobQueue(QueueName.Functions) private readonly queue: JobQueue<QueueName.Functions>,
    private readonly runner: ExecutionRunner,
  ) {}

  /** Returns the execution and the status to answer with (201 finished, 202 waiting). */
  async create(ctx: RequestContext, functionId: string, dto: CreateExecutionDto): Promise<{ status: number; execution: Execution }> {
    const fn = await this.visibleFunction(ctx, functionId);
    const runnable = await this.runner.runnable(ctx.projectId, fn);
    // 1.3: the caller must hold one of the function's execute roles (keys and console admins always do).
    if (!ctx.skipPermissions && !(fn.execute ?? []).some((role) => ctx.roles.has(role))) {
      throw new AppException(ErrorType.UserUnauthorized, `Missing "execute" permission for role "${[...ctx.roles].join('", "')}". Only ${JSON.stringify(fn.execute ?? [])} scopes are allowed.`);
    }
    const executionId = generateId();
    const row = await this.executions.create(ctx.projectId, pendingExecution(fn, executionId, runnable.deployment.uid, 'http', dto.async ? 'waiting' : 'processing', ctx.userId));
    setEventParam(ctx, 'functionId', fn.uid);
    setEventParam(ctx, 'executionId', executionId);
    const input = { projectId: ctx.projectId, trigger: 'http' as const, data: dto.data ?? '', userId: ctx.userId, jwt: this.jwt(ctx) };
    if (dto.async) {
      await this.queue.add({ ...input, functionId: fn.uid, executionId, userId: input.userId, jwt: input.jwt });
      return { status: 202, execution: toExecutionModel(row, this.showLogs(ctx)) };
    }
    const done = await this.runner.run(runnable, row, input);
    return { status: 201, execution: toExecutionModel(done, this.showLogs(ctx)) };
  }

  async list(ctx: RequestContext, functionId: string, dto: ListQueryDto): Promise<{ total: number; executions: Execution[] }> {
    const fn = await this.visibleFunction(ctx, functionId);
    const groups = withSearch(validateQueries(parseQueries(dto.queries ?? []), SystemListSchemas.executions), dto.search);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const cursor = await this.executions.findOne(ctx.projectId, { uid: groups.cursor.id, functionInternalId: String(fn.internalId) });
      if (!cursor) throw cursorNotFound(groups.cursor.id);
      cursorRow = { ...toExecutionModel(cursor, true), $internalId: cursor.internalId, $createdAt: cursor.createdAt, $updatedAt: cursor.updatedAt };
    }
    const query = compileQueries(groups, { cursorRow, schema: SystemListSchemas.executions });
    const { rows, total } = await this.executions.listOfFunction(ctx.projectId, String(fn.internalId), query, readRoles(ctx));
    return { total, executions: rows.map((row) => toExecutionModel(row, this.showLogs(ctx))) };
  }

  async get(ctx: RequestContext, functionId: string, executionId: string): Promise<Execution> {
    const fn = await this.visibleFunction(ctx, functionId);
    const row = await this.executions.findOne(ctx.projectId, { uid: executionId, functionInternalId: String(fn.internalId) });
    if (!row || !this.canRead(ctx, row)) throw new AppException(ErrorType.ExecutionNotFound);
    return toExecutionModel(row, this.showLogs(ctx));
  }

  /** 1.3: a missing or disabled function is 404 function_not_found, except for console admins. */
  private async visibleFunction(ctx: RequestContext, functionId: string): Promise<FunctionEntity> {
    const fn = await this.functions.findByUid(ctx.projectId, functionId);
    if (!fn || (!fn.enabled && ctx.authType !== AuthType.Admin)) throw new AppException(ErrorType.FunctionNotFound);
    return fn;
  }

  private canRead(ctx: RequestContext, row: ExecutionEntity): boolean {
    const roles = readRoles(ctx);
    return roles === null || (row.permissions ?? []).some((permission) => roles.some((role) => permission === `read("${role}")`));
  }

  private showLogs(ctx: RequestContext): boolean {
    return ctx.authType === AuthType.Key || ctx.authType === AuthType.Admin;
  }

  /** A 15-minute JWT of the caller's current session (`APPWRITE_FUNCTION_JWT`), '' without one. */
  private jwt(ctx: RequestContext): string {
    const identity = ctx.extras.identity as Identity | undefined;
    if (!identity?.user || !identity.session) return '';
    return signJwt({ userId: identity.user.uid, sessionId: identity.session.uid }, this.config.get('opensslKey'));
  }
}
