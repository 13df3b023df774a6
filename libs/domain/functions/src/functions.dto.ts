import { isValidRole } from '@appconda/auth';
import { isValidEvent } from '@appconda/contracts';
import { IsUid, Satisfies, ToArray, ToBoolean, ToInt, toApiDate } from '@appconda/core';
import { BuildEntity, DeploymentEntity, ExecutionEntity, FunctionEntity, VariableEntity } from '@appconda/database';
import { IsOptional } from 'class-validator';

import { isValidCron } from './cron';

// Request params and response models of the 1.3 functions routes (server and console specs).

/** Appwrite's APP_LIMIT_ARRAY_PARAMS_SIZE. */
const ARRAY_LIMIT = 100;

const text = (max: number, min = 0) => (v: unknown) => typeof v === 'string' && [...v].length <= max && [...v].length >= min;
const isBool = (v: unknown) => typeof v === 'boolean';
const roles = (v: unknown) => Array.isArray(v) && v.length <= ARRAY_LIMIT && v.every((r) => typeof r === 'string' && r.length <= 64 && isValidRole(r));
const events = (v: unknown) => Array.isArray(v) && v.length <= ARRAY_LIMIT && v.every((e) => typeof e === 'string' && isValidEvent(e));

class FunctionSettingsDto {
  @Satisfies('isText', text(128), 'Value must be a valid string and no longer than 128 chars') name!: string;
  @IsOptional() @ToArray() @Satisfies('isRoles', roles, `Value must a valid array no longer than ${ARRAY_LIMIT} items and Role must be a valid role string.`) execute?: string[];
  @IsOptional() @ToArray() @Satisfies('isEvents', events, `Value must a valid array no longer than ${ARRAY_LIMIT} items and Event is not valid.`) events?: string[];
  @IsOptional() @Satisfies('isCron', (v) => v === '' || isValidCron(v), 'String must be a valid cron expression') schedule?: string;
  /** Range-checked against `_APP_FUNCTIONS_TIMEOUT` in the service. */
  @IsOptional() @ToInt() @Satisfies('isInteger', (v) => Number.isInteger(v), 'Value must be a valid integer') timeout?: number;
  @IsOptional() @ToBoolean() @Satisfies('isBool', isBool, 'Value must be a valid boolean') enabled?: boolean;
}

export class CreateFunctionDto extends FunctionSettingsDto {
  @IsUid() functionId!: string;
  /** Checked against the allowed runtimes in the service (the list depends on configuration). */
  @Satisfies('isString', (v) => typeof v === 'string', 'Value must be a valid string') runtime!: string;
}

export class UpdateFunctionDto extends FunctionSettingsDto {}

export class CreateExecutionDto {
  @IsOptional() @Satisfies('isText', text(8192), 'Value must be a valid string and no longer than 8192 chars') data?: string;
  @IsOptional() @ToBoolean() @Satisfies('isBool', isBool, 'Value must be a valid boolean') async?: boolean;
}

export class CreateVariableDto {
  @Satisfies('isText', text(255, 1), 'Value must be a valid string and at least 1 chars and no longer than 255 chars') key!: string;
  @Satisfies('isText', text(8192), 'Value must be a valid string and no longer than 8192 chars') value!: string;
}

export class UpdateVariableDto {
  @Satisfies('isText', text(255, 1), 'Value must be a valid string and at least 1 chars and no longer than 255 chars') key!: string;
  @IsOptional() @Satisfies('isText', text(8192), 'Value must be a valid string and no longer than 8192 chars') value?: string;
}

export interface Variable {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  key: string;
  value: string;
  functionId: string;
}

export interface FunctionModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  execute: string[];
  name: string;
  enabled: boolean;
  runtime: string;
  deployment: string;
  vars: Variable[];
  events: string[];
  schedule: string;
  scheduleNext: string;
  schedulePrevious: string;
  timeout: number;
}

export interface Deployment {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  resourceId: string;
  resourceType: string;
  entrypoint: string;
  size: number;
  buildId: string;
  activate: boolean;
  status: string;
  buildStdout: string;
  buildStderr: string;
  buildTime: number;
}

export interface Execution {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  $permissions: string[];
  functionId: string;
  trigger: string;
  status: string;
  statusCode: number;
  response: string;
  stdout: string;
  stderr: string;
  duration: number;
}

export function toVariableModel(row: VariableEntity): Variable {
  return { $id: row.uid, $createdAt: toApiDate(row.createdAt), $updatedAt: toApiDate(row.updatedAt), key: row.key, value: row.value, functionId: row.functionId };
}

export function toFunctionModel(row: FunctionEntity, vars: VariableEntity[]): FunctionModel {
  return {
    $id: row.uid,
    $createdAt: toApiDate(row.createdAt),
    $updatedAt: toApiDate(row.updatedAt),
    execute: row.execute ?? [],
    name: row.name,
    enabled: Boolean(row.enabled),
    runtime: row.runtime,
    deployment: row.deployment,
    vars: vars.map(toVariableModel),
    events: row.events ?? [],
    schedule: row.schedule,
    scheduleNext: toApiDate(row.scheduleNext),
    schedulePrevious: toApiDate(row.schedulePrevious),
    timeout: Number(row.timeout),
  };
}

/** A deployment with its build's status and output (1.3 reads them from the build; `processing` before one exists). */
export function toDeploymentModel(row: DeploymentEntity, build: BuildEntity | null | undefined): Deployment {
  return {
    $id: row.uid,
    $createdAt: toApiDate(row.createdAt),
    $updatedAt: toApiDate(row.updatedAt),
    resourceId: row.resourceId,
    resourceType: row.resourceType,
    entrypoint: row.entrypoint,
    size: Number(row.size),
    buildId: row.buildId,
    activate: Boolean(row.activate),
    status: build?.status ?? 'processing',
    buildStdout: build?.stdout ?? '',
    buildStderr: build?.stderr ?? '',
    buildTime: Number(build?.duration ?? 0),
  };
}

/** 1.3 shows stdout and stderr to API keys and console admins only. */
export function toExecutionModel(row: ExecutionEntity, showLogs: boolean): Execution {
  return {
    $id: row.uid,
    $createdAt: toApiDate(row.createdAt),
    $updatedAt: toApiDate(row.updatedAt),
    $permissions: row.permissions ?? [],
    functionId: row.functionId,
    trigger: row.trigger,
    status: row.status,
    statusCode: Number(row.statusCode),
    response: row.response,
    stdout: showLogs ? row.stdout : '',
    stderr: showLogs ? row.stderr : '',
    duration: Number(row.duration),
  };
}

/** A new execution row before it ran (1.3's initial execution document): no output yet. */
export function pendingExecution(fn: Pick<FunctionEntity, 'uid' | 'internalId'>, uid: string, deploymentId: string, trigger: string, status: 'waiting' | 'processing', userId?: string) {
  return {
    uid,
    permissions: userId ? [`read("user:${userId}")`] : [],
    functionInternalId: String(fn.internalId),
    functionId: fn.uid,
    deploymentId,
    trigger,
    status,
    statusCode: 0,
    response: '',
    stdout: '',
    stderr: '',
    duration: 0,
    search: `${fn.uid} ${uid}`,
  };
}
