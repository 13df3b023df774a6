import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { allowedRuntimes, DeleteJobType, QueueName, RuntimeDefinition } from '@appconda/contracts';
import { AppException, ErrorType, generateId, RequestContext, resolveId, setEventParam, setEventPayload } from '@appconda/core';
import { FunctionEntity, FunctionRepository, ScheduleRepository, VariableEntity, VariableRepository } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';

import { nextTick } from './cron';
import { CreateFunctionDto, CreateVariableDto, FunctionModel, toFunctionModel, toVariableModel, UpdateFunctionDto, UpdateVariableDto, Variable } from './functions.dto';

export interface ListQueryDto {
  queries?: string[];
  search?: string;
}

/** 1.3's default timeout of a function, in seconds. */
const DEFAULT_TIMEOUT = 15;

/** Functions CRUD, the runtimes list and function variables (API keys and console admins, like 1.3). */
@Injectable()
export class FunctionsService {
  constructor(
    private readonly config: AppConfig,
    @InjectJobQueue(QueueName.Deletes) private readonly deletes: JobQueue<QueueName.Deletes>,
    private readonly functions: FunctionRepository,
    private readonly schedules: ScheduleRepository,
    private readonly variables: VariableRepository,
  ) {}

  /** The runtimes `_APP_FUNCTIONS_RUNTIMES` allows. */
  runtimes(): RuntimeDefinition[] {
    return allowedRuntimes(this.config.get('functions').runtimes);
  }

  runtime(key: string): RuntimeDefinition | undefined {
    return this.runtimes().find((runtime) => runtime.$id === key);
  }

  async list(ctx: RequestContext, dto: ListQueryDto): Promise<{ total: number; functions: FunctionModel[] }> {
    const groups = withSearch(validateQueries(parseQueries(dto.queries ?? []), SystemListSchemas.functions), dto.search);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const cursor = await this.functions.findByUid(ctx.projectId, groups.cursor.id);
      if (!cursor) throw cursorNotFound(groups.cursor.id);
      cursorRow = { ...toFunctionModel(cursor, []), scheduleNext: cursor.scheduleNext, schedulePrevious: cursor.schedulePrevious, $internalId: cursor.internalId, $createdAt: cursor.createdAt, $updatedAt: cursor.updatedAt };
    }
    const { rows, total } = await this.functions.listByQuery(ctx.projectId, compileQueries(groups, { cursorRow, schema: SystemListSchemas.functions }));
    const vars = await this.variables.ofFunctions(ctx.projectId, rows.map((row) => String(row.internalId)));
    return { total, functions: rows.map((row) => toFunctionModel(row, vars.get(String(row.internalId)) ?? [])) };
  }

  async create(ctx: RequestContext, dto: CreateFunctionDto): Promise<FunctionModel> {
    if (!this.runtime(dto.runtime)) {
      throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid runtime: Value must be one of (${this.runtimes().map((r) => r.$id).join(', ')})`);
    }
    const functionId = resolveId(dto.functionId);
    const now = new Date();
    const schedule = dto.schedule ?? '';
    setEventParam(ctx, 'functionId', functionId);
    let row: FunctionEntity;
    try {
      row = await this.functions.create(ctx.projectId, {
        uid: functionId,
        execute: dto.execute ?? [],
        name: dto.name,
        enabled: dto.enabled ?? true,
        runtime: dto.runtime,
        deployment: '',
        events: dto.events ?? [],
        schedule,
        scheduleUpdatedAt: now,
        schedulePrevious: null,
        scheduleNext: schedule ? nextTick(schedule, now) : null,
        timeout: this.timeout(dto.timeout),
        search: `${functionId} ${dto.name} ${dto.runtime}`,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') throw new AppException(ErrorType.DocumentAlreadyExists, 'A function with the requested ID already exists.');
      throw error;
    }
    await this.schedules.upsertFunction(ctx.projectId, row.uid, String(row.internalId), row.schedule, row.scheduleNext);
    return toFunctionModel(row, []);
  }

  async get(ctx: RequestContext, functionId: string): Promise<FunctionModel> {
    const row = await this.find(ctx.projectId, functionId);
    return toFunctionModel(row, await this.variables.ofFunction(ctx.projectId, String(row.internalId)));
  }

  /** 1.3 replaces every setting: omitted ones go back to their defaults; the runtime never changes. */
  async update(ctx: RequestContext, functionId: string, dto: UpdateFunctionDto): Promise<FunctionModel> {
    const current = await this.find(ctx.projectId, functionId);
    const now = new Date();
    const schedule = dto.schedule ?? '';
    setEventParam(ctx, 'functionId', current.uid);
    const row = await this.functions.update(ctx.projectId, current.uid, {
      execute: dto.execute ?? [],
      name: dto.name,
      events: dto.events ?? [],
      schedule,
      scheduleUpdatedAt: now,
      scheduleNext: schedule ? nextTick(schedule, now) : null,
      timeout: this.timeout(dto.timeout),
      enabled: dto.enabled ?? true,
      search: `${current.uid} ${dto.name} ${current.runtime}`,
    });
    if (!row) throw new AppException(ErrorType.FunctionNotFound);
    await this.schedules.upsertFunction(ctx.projectId, row.uid, String(row.internalId), row.schedule, row.scheduleNext);
    return toFunctionModel(row, await this.variables.ofFunction(ctx.projectId, String(row.internalId)));
  }

  /** Removes the function row and its schedule now; deployments, builds, executions and variables go in worker-deletes. */
  async delete(ctx: RequestContext, functionId: string): Promise<void> {
    const row = await this.find(ctx.projectId, functionId);
    setEventParam(ctx, 'functionId', row.uid);
    setEventPayload(ctx, toFunctionModel(row, []));
    if (!(await this.functions.delete(ctx.projectId, row.uid))) throw new AppException(ErrorType.FunctionNotFound);
    await this.schedules.deleteFunction(ctx.projectId, row.uid);
    await this.deletes.add({ type: DeleteJobType.Functions, projectId: ctx.projectId, document: { $id: row.uid, $internalId: String(row.internalId), collection: 'functions' } });
  }

  async find(projectId: string, functionId: string): Promise<FunctionEntity> {
    const row = await this.functions.findByUid(projectId, functionId);
    if (!row) throw new AppException(ErrorType.FunctionNotFound);
    return row;
  }

  async listVariables(ctx: RequestContext, functionId: string): Promise<{ total: number; variables: Variable[] }> {
    const fn = await this.find(ctx.projectId, functionId);
    const rows = await this.variables.ofFunction(ctx.projectId, String(fn.internalId));
    return { total: rows.length, variables: rows.map(toVariableModel) };
  }

  async createVariable(ctx: RequestContext, functionId: string, dto: CreateVariableDto): Promise<Variable> {
    const fn = await this.find(ctx.projectId, functionId);
    const variableId = generateId();
    try {
      const row = await this.variables.create(ctx.projectId, {
        uid: variableId,
        functionInternalId: String(fn.internalId),
        functionId: fn.uid,
        key: dto.key,
        value: dto.value,
        search: `${variableId} ${fn.uid} ${dto.key}`,
      });
      return toVariableModel(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') throw new AppException(ErrorType.VariableAlreadyExists);
      throw error;
    }
  }

  async getVariable(ctx: RequestContext, functionId: string, variableId: string): Promise<Variable> {
    const fn = await this.find(ctx.projectId, functionId);
    return toVariableModel(await this.findVariable(ctx.projectId, fn, variableId));
  }

  async updateVariable(ctx: RequestContext, functionId: string, variableId: string, dto: UpdateVariableDto): Promise<Variable> {
    const fn = await this.find(ctx.projectId, functionId);
    const variable = await this.findVariable(ctx.projectId, fn, variableId);
    try {
      const row = await this.variables.update(ctx.projectId, variable.uid, { key: dto.key, value: dto.value ?? variable.value, search: `${variable.uid} ${fn.uid} ${dto.key}` });
      if (!row) throw new AppException(ErrorType.VariableNotFound);
      return toVariableModel(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') throw new AppException(ErrorType.VariableAlreadyExists);
      throw error;
    }
  }

  async deleteVariable(ctx: RequestContext, functionId: string, variableId: string): Promise<void> {
    const fn = await this.find(ctx.projectId, functionId);
    const variable = await this.findVariable(ctx.projectId, fn, variableId);
    await this.variables.delete(ctx.projectId, variable.uid);
  }

  private async findVariable(projectId: string, fn: FunctionEntity, variableId: string): Promise<VariableEntity> {
    const row = await this.variables.findOne(projectId, { uid: variableId, functionInternalId: String(fn.internalId) });
    if (!row) throw new AppException(ErrorType.VariableNotFound);
    return row;
  }

  /** 1.3 `Range(1, _APP_FUNCTIONS_TIMEOUT)`, default 15. */
  private timeout(value: number | undefined): number {
    const max = this.config.get('functions').timeout;
    const timeout = value ?? Math.min(DEFAULT_TIMEOUT, max);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > max) {
      throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid timeout: Value must be a valid range between 1 and ${max.toLocaleString('en-US')}`);
    }
    return timeout;
  }
}
