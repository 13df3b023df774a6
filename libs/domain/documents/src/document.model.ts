import { parsePermission, PermissionType } from '@appconda/auth';
import { toApiDate } from '@appconda/core';
import { AttributeEntity } from '@appconda/database';
import type { CollectionSchema, RelationshipOptions } from '@appconda/databases';
import { AttributeSchema, AttributeType, IndexSchema, QuerySchema } from '@appconda/query';

import { DocumentRow } from './documents.store';

/** The 1.3 document model: system fields plus every attribute (open model). */
export type DocumentModel = Record<string, unknown> & {
  $id: string;
  $collectionId: string;
  $databaseId: string;
  $createdAt: string;
  $updatedAt: string;
  $permissions: string[];
};

export interface DocumentList {
  total: number;
  documents: DocumentModel[];
}

/** What the document layer derives once per cached collection schema (no per-request work). */
export interface PreparedSchema {
  schema: CollectionSchema;
  /** Available attributes with a column of their own value (not relationships). */
  plain: AttributeEntity[];
  /** Available relationship attributes. */
  relations: AttributeEntity[];
  /** Every attribute key whatever its status (unknown vs. not yet available). */
  known: ReadonlySet<string>;
  /** For validateQueries: attribute types as the query language names them, plus the available indexes. */
  query: QuerySchema;
  /** Roles holding each permission type on the collection (parsed once, `write` expanded). */
  collectionRoles: Record<'read' | 'create' | 'update' | 'delete', ReadonlySet<string>>;
}

/** Roles per permission type of a permission list (unparsable entries are ignored, as in evaluation). */
export function rolesByType(permissions: readonly string[]): PreparedSchema['collectionRoles'] {
  const roles = { read: new Set<string>(), create: new Set<string>(), update: new Set<string>(), delete: new Set<string>() };
  for (const permission of permissions) {
    let parsed;
    try {
      parsed = parsePermission(permission);
    } catch {
      continue;
    }
    const types = parsed.type === PermissionType.Write ? (['create', 'update', 'delete'] as const) : [parsed.type as keyof typeof roles];
    for (const type of types) roles[type]?.add(parsed.roleString);
  }
  return roles;
}

const prepared = new WeakMap<CollectionSchema, PreparedSchema>();

function queryType(attribute: AttributeEntity): AttributeType {
  if (attribute.type === 'string' && ['email', 'enum', 'ip', 'url'].includes(attribute.format)) return attribute.format as AttributeType;
  return attribute.type as AttributeType;
}

export function prepare(schema: CollectionSchema): PreparedSchema {
  let entry = prepared.get(schema);
  if (!entry) {
    const attributes: AttributeSchema[] = schema.attributes.filter((attribute) => attribute.type !== 'relationship').map((attribute) => ({ key: attribute.key, type: queryType(attribute), array: attribute.array }));
    const indexes: IndexSchema[] = schema.indexes.map((index) => ({ type: index.type as IndexSchema['type'], attributes: index.attributes }));
    entry = {
      schema,
      plain: schema.attributes.filter((attribute) => attribute.type !== 'relationship'),
      relations: schema.attributes.filter((attribute) => attribute.type === 'relationship'),
      known: new Set(schema.allAttributes.map((attribute) => attribute.key)),
      query: { attributes, indexes },
      collectionRoles: rolesByType(schema.collection.permissions ?? []),
    };
    prepared.set(schema, entry);
  }
  return entry;
}

export function relationOptions(attribute: AttributeEntity): RelationshipOptions {
  return attribute.options as unknown as RelationshipOptions;
}

/** 1.3's date format (`…T22:21:58.123+00:00`) for a driver Date; toApiDate for anything else. */
function apiDate(value: unknown): string {
  if (value !== null && typeof value === 'object' && typeof (value as Date).toISOString === 'function') {
    const time = (value as Date).getTime();
    if (!Number.isNaN(time)) return `${(value as Date).toISOString().slice(0, -1)}+00:00`;
  }
  return toApiDate(value as Date);
}

function arrayValue(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown[];
    } catch {
      return [];
    }
  }
  return value as unknown[];
}

/** A column value as the API renders it for its attribute. */
function renderValue(attribute: AttributeEntity, value: unknown): unknown {
  if (attribute.array) {
    const items = arrayValue(value);
    return attribute.type === 'datetime' ? items.map((item) => (item === null ? null : toApiDate(item as string))) : items;
  }
  if (value === null || value === undefined) return null;
  switch (attribute.type) {
    case 'boolean':
      return Boolean(value);
    case 'datetime':
      return apiDate(value);
    case 'integer':
    case 'double':
      return typeof value === 'number' ? value : Number(value);
    default:
      return value;
  }
}

export function permissionsOf(row: DocumentRow): string[] {
  const value = row._permissions;
  if (Array.isArray(value)) return value as string[];
  if (typeof value === 'string' && value) return JSON.parse(value) as string[];
  return [];
}

/**
 * A row as the 1.3 document model. `selected` (from `select` queries) limits the attributes; the system
 * fields are always present. Relationship values are filled in later by the relationship loader.
 */
export function toDocumentModel(row: DocumentRow, p: PreparedSchema, selected: ReadonlySet<string> | null): DocumentModel {
  const model: DocumentModel = {
    $id: row._uid,
    $collectionId: p.schema.collection.uid,
    $databaseId: p.schema.database.uid,
    $createdAt: apiDate(row._createdAt),
    $updatedAt: apiDate(row._updatedAt),
    $permissions: permissionsOf(row),
  };
  for (const attribute of p.plain) {
    if (selected && !selected.has(attribute.key)) continue;
    model[attribute.key] = renderValue(attribute, row[attribute.key]);
  }
  return model;
}
