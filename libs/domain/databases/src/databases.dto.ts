import { IsUid, toApiDate, ToBoolean } from '@appconda/core';
import { AttributeEntity, CollectionEntity, DatabaseEntity, IndexEntity } from '@appconda/database';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';

import { AttributeModel, IndexModel, toAttributeModel, toIndexModel } from './attributes.dto';

/** 1.3's `Text(128)` message for names. */
export const NAME_RULE = { message: 'Value must be a valid string and at least 1 chars and no longer than 128 chars' };

export class ListDto {
  queries?: string[];
  @IsOptional() @IsString({ message: 'Value must be a valid string and no longer than 256 chars' }) search?: string;
}

export class CreateDatabaseDto {
  @IsUid() databaseId: string;
  @IsString(NAME_RULE) @Length(1, 128, NAME_RULE) name: string;
}

export class UpdateDatabaseDto {
  @IsString(NAME_RULE) @Length(1, 128, NAME_RULE) name: string;
}

export class CreateCollectionDto {
  @IsUid() collectionId: string;
  @IsString(NAME_RULE) @Length(1, 128, NAME_RULE) name: string;
  /** Validated by the service with the auth lib's permission rules (1.3 messages). */
  @IsOptional() permissions?: unknown;
  @IsOptional() @ToBoolean() @IsBoolean({ message: 'Value must be a valid boolean' }) documentSecurity?: boolean;
}

export class UpdateCollectionDto {
  @IsString(NAME_RULE) @Length(1, 128, NAME_RULE) name: string;
  @IsOptional() permissions?: unknown;
  @IsOptional() @ToBoolean() @IsBoolean({ message: 'Value must be a valid boolean' }) documentSecurity?: boolean;
  @IsOptional() @ToBoolean() @IsBoolean({ message: 'Value must be a valid boolean' }) enabled?: boolean;
}

export const USAGE_RANGES = ['24h', '7d', '30d', '90d'] as const;

export class UsageDto {
  @IsOptional() @IsIn(USAGE_RANGES, { message: `Value must be one of (${USAGE_RANGES.join(', ')})` }) range?: (typeof USAGE_RANGES)[number];
}

export interface DatabaseModel {
  $id: string;
  name: string;
  $createdAt: string;
  $updatedAt: string;
}

export interface CollectionModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  $permissions: string[];
  databaseId: string;
  name: string;
  enabled: boolean;
  documentSecurity: boolean;
  attributes: AttributeModel[];
  indexes: IndexModel[];
}

export function toDatabaseModel(database: DatabaseEntity): DatabaseModel {
  return { $id: database.uid, name: database.name, $createdAt: toApiDate(database.createdAt), $updatedAt: toApiDate(database.updatedAt) };
}

export function toCollectionModel(collection: CollectionEntity, attributes: readonly AttributeEntity[], indexes: readonly IndexEntity[]): CollectionModel {
  return {
    $id: collection.uid,
    $createdAt: toApiDate(collection.createdAt),
    $updatedAt: toApiDate(collection.updatedAt),
    $permissions: collection.permissions ?? [],
    databaseId: collection.databaseId,
    name: collection.name,
    enabled: Boolean(collection.enabled),
    documentSecurity: Boolean(collection.documentSecurity),
    attributes: attributes.map(toAttributeModel),
    indexes: indexes.map(toIndexModel),
  };
}
