import { ToArray, ToBoolean, ToInt, ToNumber } from '@appconda/core';
import { AttributeEntity, IndexEntity } from '@appconda/database';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, registerDecorator, ValidationOptions } from 'class-validator';


/** 1.3's `Key` validator: like custom ids but without `unique()`. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/;
const KEY_MESSAGE = "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";
const BOOLEAN = { message: 'Value must be a valid boolean' };
const INTEGER = { message: 'Value must be a valid integer' };
const FLOAT = { message: 'Value must be a valid float' };
const STRING = { message: 'Value must be a valid string' };

export function IsKey(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isKey',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: { message: KEY_MESSAGE, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && KEY_PATTERN.test(value) },
    });
}

/** Index attributes may also name the system attributes (1.3's `Key(allowInternal: true)`). */
export const SYSTEM_INDEX_ATTRIBUTES: readonly string[] = ['$id', '$createdAt', '$updatedAt'];

export function IsIndexAttribute(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isIndexAttribute',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: { message: KEY_MESSAGE, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && (KEY_PATTERN.test(value) || SYSTEM_INDEX_ATTRIBUTES.includes(value)) },
    });
}

class CreateAttributeBase {
  @IsKey() key: string;
  @ToBoolean() @IsBoolean(BOOLEAN) required: boolean;
  @IsOptional() @ToBoolean() @IsBoolean(BOOLEAN) array?: boolean;
}

/** string, email, ip, url, datetime: a string default (formats are checked by the service). */
export class CreateTextAttributeDto extends CreateAttributeBase {
  @IsOptional() @IsString(STRING) default?: string | null;
}

export class CreateStringAttributeDto extends CreateTextAttributeDto {
  @ToInt() @IsInt(INTEGER) size: number;
}

export class CreateEnumAttributeDto extends CreateTextAttributeDto {
  @ToArray() @IsArray() @ArrayMaxSize(100, { message: 'Value must a valid array no longer than 100 items' }) @IsString({ each: true, ...STRING }) elements: string[];
}

export class CreateIntegerAttributeDto extends CreateAttributeBase {
  @IsOptional() @ToInt() @IsInt(INTEGER) min?: number | null;
  @IsOptional() @ToInt() @IsInt(INTEGER) max?: number | null;
  @IsOptional() @ToInt() @IsInt(INTEGER) default?: number | null;
}

export class CreateFloatAttributeDto extends CreateAttributeBase {
  @IsOptional() @ToNumber() @IsNumber({}, FLOAT) min?: number | null;
  @IsOptional() @ToNumber() @IsNumber({}, FLOAT) max?: number | null;
  @IsOptional() @ToNumber() @IsNumber({}, FLOAT) default?: number | null;
}

export class CreateBooleanAttributeDto extends CreateAttributeBase {
  @IsOptional() @ToBoolean() @IsBoolean(BOOLEAN) default?: boolean | null;
}

export const RELATION_TYPES = ['oneToOne', 'manyToOne', 'manyToMany', 'oneToMany'] as const;
export const ON_DELETE = ['cascade', 'restrict', 'setNull'] as const;

export class CreateRelationshipAttributeDto {
  @IsString(STRING) relatedCollectionId: string;
  @IsIn(RELATION_TYPES, { message: `Value must be one of (${RELATION_TYPES.join(', ')})` }) type: (typeof RELATION_TYPES)[number];
  @IsOptional() @ToBoolean() @IsBoolean(BOOLEAN) twoWay?: boolean;
  @IsOptional() @IsKey() key?: string | null;
  @IsOptional() @IsKey() twoWayKey?: string | null;
  @IsOptional() @IsIn(ON_DELETE, { message: `Value must be one of (${ON_DELETE.join(', ')})` }) onDelete?: (typeof ON_DELETE)[number];
}

/** PATCH bodies: `default` may be null (no default). */
export class UpdateTextAttributeDto {
  @ToBoolean() @IsBoolean(BOOLEAN) required: boolean;
  @IsOptional() @IsString(STRING) default?: string | null;
}

export class UpdateEnumAttributeDto extends UpdateTextAttributeDto {
  @ToArray() @IsArray() @ArrayMaxSize(100, { message: 'Value must a valid array no longer than 100 items' }) @IsString({ each: true, ...STRING }) elements: string[];
}

export class UpdateIntegerAttributeDto {
  @ToBoolean() @IsBoolean(BOOLEAN) required: boolean;
  @ToInt() @IsInt(INTEGER) min: number;
  @ToInt() @IsInt(INTEGER) max: number;
  @IsOptional() @ToInt() @IsInt(INTEGER) default?: number | null;
}

export class UpdateFloatAttributeDto {
  @ToBoolean() @IsBoolean(BOOLEAN) required: boolean;
  @ToNumber() @IsNumber({}, FLOAT) min: number;
  @ToNumber() @IsNumber({}, FLOAT) max: number;
  @IsOptional() @ToNumber() @IsNumber({}, FLOAT) default?: number | null;
}

export class UpdateBooleanAttributeDto {
  @ToBoolean() @IsBoolean(BOOLEAN) required: boolean;
  @IsOptional() @ToBoolean() @IsBoolean(BOOLEAN) default?: boolean | null;
}

export class UpdateRelationshipAttributeDto {
  @IsOptional() @IsIn(ON_DELETE, { message: `Value must be one of (${ON_DELETE.join(', ')})` }) onDelete?: (typeof ON_DELETE)[number];
}

export const INDEX_TYPES = ['key', 'fulltext', 'unique'] as const;

export class CreateIndexDto {
  @IsKey() key: string;
  @IsIn(INDEX_TYPES, { message: `Value must be one of (${INDEX_TYPES.join(', ')})` }) type: (typeof INDEX_TYPES)[number];
  @ToArray() @IsArray() @ArrayMaxSize(100, { message: 'Value must a valid array no longer than 100 items' }) @IsIndexAttribute({ each: true }) attributes: string[];
  @IsOptional() @ToArray() @IsArray() @ArrayMaxSize(100, { message: 'Value must a valid array no longer than 100 items' }) @IsIn(['ASC', 'DESC'], { each: true, message: 'Value must be one of (ASC, DESC)' }) orders?: string[];
}

/** The attribute models of 1.3 (attributeString, attributeInteger, … attributeRelationship). */
export type AttributeModel = Record<string, unknown> & { key: string; type: string; status: string; required: boolean; array: boolean };

export interface IndexModel {
  key: string;
  type: string;
  status: string;
  attributes: string[];
  orders: string[];
  error?: string;
}

export function toAttributeModel(attribute: AttributeEntity): AttributeModel {
  const model: AttributeModel = { key: attribute.key, type: attribute.type, status: attribute.status, required: Boolean(attribute.required), array: Boolean(attribute.array) };
  const options = attribute.formatOptions ?? {};
  switch (attribute.type) {
    case 'string':
      if (!attribute.format) model.size = attribute.size;
      if (attribute.format === 'enum') model.elements = options.elements ?? [];
      if (attribute.format) model.format = attribute.format;
      model.default = attribute.default ?? null;
      break;
    case 'integer':
    case 'double':
      model.min = options.min;
      model.max = options.max;
      model.default = attribute.default ?? null;
      break;
    case 'datetime':
      model.format = 'datetime';
      model.default = attribute.default ?? null;
      break;
    case 'relationship':
      Object.assign(model, {
        relatedCollection: attribute.options.relatedCollection,
        relationType: attribute.options.relationType,
        twoWay: attribute.options.twoWay,
        twoWayKey: attribute.options.twoWayKey,
        onDelete: attribute.options.onDelete,
        side: attribute.options.side,
      });
      break;
    default:
      model.default = attribute.default ?? null;
  }
  // Not in the 1.3 models: why the worker could not build the column (status `failed`).
  if (attribute.error) model.error = attribute.error;
  return model;
}

export function toIndexModel(index: IndexEntity): IndexModel {
  const model: IndexModel = { key: index.key, type: index.type, status: index.status, attributes: index.attributes ?? [], orders: (index.orders ?? []).map((order) => order ?? '') };
  if (index.error) model.error = index.error;
  return model;
}
