import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppException, ErrorType, IsUid, ToArray, ToBoolean, ToInt, toApiDate } from '@appconda/core';
import { BucketEntity, FileEntity } from '@appconda/database';
import { IsOptional, registerDecorator } from 'class-validator';

import { Compression } from './codecs';

// Request params and response models of the 1.3 storage routes (server/client specs).

function rule(name: string, message: string, test: (value: unknown) => boolean): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({ name, target: target.constructor, propertyName: propertyKey as string, options: { message }, validator: { validate: test } });
}

/** Utopia `Text(max)`. */
function IsText(max: number): PropertyDecorator {
  return rule('isText', `Value must be a valid string and no longer than ${max} chars`, (v) => typeof v === 'string' && [...v].length <= max);
}

function IsBool(): PropertyDecorator {
  return rule('isBool', 'Value must be a valid boolean', (v) => typeof v === 'boolean');
}

function IsInteger(): PropertyDecorator {
  return rule('isInteger', 'Value must be a valid integer', (v) => Number.isInteger(v));
}

function IsStringList(max: number, length: number): PropertyDecorator {
  return rule(
    'isStringList',
    `Value must a valid array no longer than ${max} items and Value must be a valid string and no longer than ${length} chars`,
    (v) => Array.isArray(v) && v.length <= max && v.every((item) => typeof item === 'string' && [...item].length <= length),
  );
}

function IsArrayParam(): PropertyDecorator {
  return rule('isArrayParam', 'Value must be a valid array', (v) => Array.isArray(v));
}

const COMPRESSIONS = Object.values(Compression) as string[];

function IsCompression(): PropertyDecorator {
  return rule('isCompression', `Value must be one of (${COMPRESSIONS.join(', ')})`, (v) => typeof v === 'string' && COMPRESSIONS.includes(v));
}

export interface ListQueryDto {
  queries?: string[];
  search?: string;
}

/**
 * The `queries`/`search` params of a list route. Array params arrive as `queries[]=…` (node SDK via
 * axios), `queries[0]=…` (web SDK) or `queries=…`, which the query-string parser leaves as separate
 * keys, so they are gathered here and checked with the 1.3 wording.
 */
export const ListQuery = createParamDecorator((_data: unknown, context: ExecutionContext): ListQueryDto => {
  const query = (context.switchToHttp().getRequest<{ query?: Record<string, unknown> }>().query ?? {}) as Record<string, unknown>;
  const indexed = Object.keys(query)
    .map((name) => /^queries\[(\d+)\]$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((match) => query[match[0]]);
  let queries = query.queries ?? query['queries[]'] ?? (indexed.length ? indexed : undefined);
  if (queries !== undefined && !Array.isArray(queries)) queries = [queries];
  const list = queries as unknown[] | undefined;
  if (list && (list.length > 100 || list.some((item) => typeof item !== 'string' || [...item].length > 4096))) {
    throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid queries: Value must a valid array no longer than 100 items and Value must be a valid string and no longer than 4096 chars');
  }
  const search = query.search;
  if (search !== undefined && (typeof search !== 'string' || [...search].length > 256)) {
    throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid search: Value must be a valid string and no longer than 256 chars');
  }
  return { queries: list as string[] | undefined, search: search as string | undefined };
});

class BucketSettingsDto {
  @IsText(128) name!: string;
  /** Validated against the bucket rules in the service (1.3 Permissions validator wording). */
  @IsOptional() @ToArray() @IsArrayParam() permissions?: string[];
  @IsOptional() @ToBoolean() @IsBool() fileSecurity?: boolean;
  @IsOptional() @ToBoolean() @IsBool() enabled?: boolean;
  /** Range-checked against `_APP_STORAGE_LIMIT` in the service. */
  @IsOptional() @ToInt() @IsInteger() maximumFileSize?: number;
  @IsOptional() @ToArray() @IsStringList(100, 64) allowedFileExtensions?: string[];
  @IsOptional() @IsCompression() compression?: string;
  @IsOptional() @ToBoolean() @IsBool() encryption?: boolean;
  @IsOptional() @ToBoolean() @IsBool() antivirus?: boolean;
}

export class CreateBucketDto extends BucketSettingsDto {
  @IsUid() bucketId!: string;
}

export class UpdateBucketDto extends BucketSettingsDto {}

export class UpdateFileDto {
  @IsOptional() @ToArray() @IsArrayParam() permissions?: string[];
}

export interface Bucket {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  $permissions: string[];
  fileSecurity: boolean;
  name: string;
  enabled: boolean;
  maximumFileSize: number;
  allowedFileExtensions: string[];
  compression: string;
  encryption: boolean;
  antivirus: boolean;
}

export interface File {
  $id: string;
  bucketId: string;
  $createdAt: string;
  $updatedAt: string;
  $permissions: string[];
  name: string;
  signature: string;
  mimeType: string;
  sizeOriginal: number;
  chunksTotal: number;
  chunksUploaded: number;
}

export function toBucketModel(row: BucketEntity): Bucket {
  return {
    $id: row.uid,
    $createdAt: toApiDate(row.createdAt),
    $updatedAt: toApiDate(row.updatedAt),
    $permissions: row.permissions ?? [],
    fileSecurity: Boolean(row.fileSecurity),
    name: row.name,
    enabled: Boolean(row.enabled),
    maximumFileSize: Number(row.maximumFileSize),
    allowedFileExtensions: row.allowedFileExtensions ?? [],
    compression: row.compression,
    encryption: Boolean(row.encryption),
    antivirus: Boolean(row.antivirus),
  };
}

export function toFileModel(row: FileEntity): File {
  return {
    $id: row.uid,
    bucketId: row.bucketId,
    $createdAt: toApiDate(row.createdAt),
    $updatedAt: toApiDate(row.updatedAt),
    $permissions: row.permissions ?? [],
    name: row.name,
    signature: row.signature,
    mimeType: row.mimeType,
    sizeOriginal: Number(row.sizeOriginal),
    chunksTotal: Number(row.chunksTotal),
    chunksUploaded: Number(row.chunksUploaded),
  };
}
