import { Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException, isValidCustomId, RequestContext, resolveId, setEventParam, setEventPayload, setEventReadRoles } from '@appconda/core';
import { aggregatePermissions, assertValidPermissions, Authorization, ITEM_PERMISSIONS, itemReadRoles } from '@appconda/auth';
import { AuditRepository, MAIN } from '@appconda/database';
import { CollectionSchema, CollectionSchemaService } from '@appconda/databases';
import { compileQueries, cursorNotFound, getDocumentSchema, parseQueries, QueryGroups, QueryMethod, queryNotValid, SystemListSchemas, validateQueries } from '@appconda/query';
import { LogModel, toLogModel } from '@appconda/users';

import { assertEnabled, assertNotChangedSince, canCreate, canWrite, defaultPermissions, parseRequestTimestamp, readScope } from './document.access';
import { DocumentList, DocumentModel, permissionsOf, prepare, PreparedSchema, toDocumentModel } from './document.model';
import { checkStructure, invalidStructure } from './document.structure';
import { DocumentRow, DocumentsStore } from './documents.store';
import { parseSelection, Selection } from './relationships';
import { RelationshipsService } from './relationships.service';

/** 1.3 counts list totals up to this many rows (APP_LIMIT_COUNT). */
export const COUNT_LIMIT = 5000;

const SYSTEM_SELECTABLE = new Set(['$id', '$createdAt', '$updatedAt', '$permissions', '$collectionId', '$databaseId', '*']);

/** The body of createDocument / updateDocument as the SDKs send it (validated here, not by a DTO, to keep the hot path lean). */
export interface DocumentBody {
  documentId?: unknown;
  data?: unknown;
  permissions?: unknown;
}

/**
 * Documents of a collection (Appwrite 1.3 createDocument, getDocument, listDocuments, updateDocument,
 * deleteDocument): validation against the collection's attributes, permissions (collection level, and
 * per document with documentSecurity, checked inside the SQL), queries, relationships.
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly schemas: CollectionSchemaService,
    private readonly store: DocumentsStore,
    private readonly relationships: RelationshipsService,
    private readonly audits: AuditRepository,
  ) {}

  async get(ctx: RequestContext, databaseId: string, collectionId: string, documentId: string, queries: unknown): Promise<DocumentModel> {
    const p = await this.prepared(ctx, databaseId, collectionId);
    let selection: Selection | null = null;
    if (queries !== undefined) {
      const groups = parseQueries(queries);
      validateQueries(withoutSelects(groups), getDocumentSchema(p.query.attributes));
      selection = this.selection(groups, p);
    }
    const scope = readScope(ctx, p.schema);
    const row = scope === 'deny' ? null : await this.store.findOne(p.schema.table, documentId, scope);
    if (!row) throw new AppException(ErrorType.DocumentNotFound);
    const model = toDocumentModel(row, p, selection?.keys ?? null);
    if (p.relations.length) await this.relationships.load(ctx, p, [row], [model], selection, 1);
    return model;
  }

  async list(ctx: RequestContext, databaseId: string, collectionId: string, queries: unknown): Promise<DocumentList> {
    const p = await this.prepared(ctx, databaseId, collectionId);
    const groups = parseQueries(queries);
    validateQueries(withoutSelects(groups), p.query);
    const selection = this.selection(groups, p);
    const scope = readScope(ctx, p.schema);
    if (scope === 'deny') throw new AppException(ErrorType.UserUnauthorized);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const cursor = await this.store.findOne(p.schema.table, groups.cursor.id, null);
      if (!cursor) throw cursorNotFound(groups.cursor.id);
      cursorRow = cursorValues(cursor, p);
    }
    const compiled = compileQueries(groups, { table: MAIN, cursorRow, schema: p.query });
    // 1.3 counts the filters only: the cursor's keyset condition must not shrink the total.
    const counted = groups.cursor ? compileQueries({ ...groups, cursor: null }, { table: MAIN, schema: p.query }) : compiled;
    const [rows, total] = await Promise.all([this.store.list(p.schema.table, compiled, scope), this.store.count(p.schema.table, counted, scope, COUNT_LIMIT)]);
    const keys = selection?.keys ?? null;
    const documents = new Array<DocumentModel>(rows.length);
    for (let i = 0; i < rows.length; i++) documents[i] = toDocumentModel(rows[i], p, keys);
    if (p.relations.length && rows.length) await this.relationships.load(ctx, p, rows, documents, selection, 1);
    return { total, documents };
  }

  async create(ctx: RequestContext, databaseId: string, collectionId: string, body: DocumentBody): Promise<DocumentModel> {
    if (body.documentId === undefined || body.documentId === null) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Param "documentId" is not optional.');
    if (typeof body.documentId !== 'string' || !isValidCustomId(body.documentId)) {
      throw new AppException(ErrorType.GeneralArgumentInvalid, "Invalid `documentId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char");
    }
    if (body.data === undefined || body.data === null) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Param "data" is not optional.');
    const data = dataParam(body.data);
    let permissions = permissionsParam(body.permissions);
    if (Object.keys(data).length === 0) throw new AppException(ErrorType.DocumentMissingPayload);
    if (data.$id !== undefined) throw invalidStructure('$id is not allowed for creating new documents, try update instead');

    const p = await this.prepared(ctx, databaseId, collectionId);
    if (!canCreate(ctx, p.schema)) throw new AppException(ErrorType.UserUnauthorized);
    if (permissions === null) permissions = ctx.userId ? defaultPermissions(ctx.userId) : [];
    else if (!ctx.skipPermissions) Authorization.assertCanGrant(permissions, ctx.roles);

    const id = resolveId(body.documentId);
    setEventParams(ctx, databaseId, collectionId, id);
    const structure = checkStructure(p.schema.attributes, p.known, data, false);
    const now = new Date();
    const finalPermissions = permissions;
    if (structure.relations.size === 0 && finalPermissions.length === 0) {
      // One INSERT and no grants: a single statement is atomic, no transaction needed.
      await this.store.insert(null, p.schema.table, id, now, finalPermissions, structure.columns);
    } else if (structure.relations.size === 0) {
      await this.store.transaction((connection) => this.store.insert(connection, p.schema.table, id, now, finalPermissions, structure.columns));
    } else {
      await this.store.transaction(async (connection) => {
        const links = await this.relationships.prepareWrites(ctx, connection, p, structure.relations, 1);
        for (const [column, value] of links.columns) structure.columns.set(column, value);
        await this.store.insert(connection, p.schema.table, id, now, finalPermissions, structure.columns);
        await links.apply(id, true);
      });
    }
    const row = { _id: 0, _uid: id, _createdAt: now, _updatedAt: now, _permissions: permissions, ...Object.fromEntries(structure.columns) } as DocumentRow;
    const model = toDocumentModel(row, p, null);
    setEventReaders(ctx, p, permissions);
    if (p.relations.length) await this.relationships.load(ctx, p, [row], [model], null, 1);
    return model;
  }

  async update(ctx: RequestContext, databaseId: string, collectionId: string, documentId: string, body: DocumentBody, timestamp: string | undefined): Promise<DocumentModel> {
    const data = body.data === undefined || body.data === null ? {} : dataParam(body.data);
    const permissions = permissionsParam(body.permissions);
    if (Object.keys(data).length === 0 && permissions === null) throw new AppException(ErrorType.DocumentMissingPayload);
    const since = parseRequestTimestamp(timestamp);
    setEventParams(ctx, databaseId, collectionId, documentId);
    const p = await this.prepared(ctx, databaseId, collectionId);
    const row = await this.store.findOne(p.schema.table, documentId, null);
    if (!row) throw new AppException(ErrorType.DocumentNotFound);
    if (permissions !== null && !ctx.skipPermissions) Authorization.assertCanGrant(permissions, ctx.roles);
    if (!canWrite(ctx, p.schema, 'update', permissionsOf(row))) throw new AppException(ErrorType.UserUnauthorized);
    assertNotChangedSince(row._updatedAt, since);

    const structure = checkStructure(p.schema.attributes, p.known, data, true);
    // 1.3 validates the merged document: a required attribute still empty in the row must be sent now.
    for (const attribute of p.schema.attributes) {
      if (!attribute.required || attribute.type === 'relationship' || structure.columns.has(attribute.key)) continue;
      if (row[attribute.key] === null || row[attribute.key] === undefined) throw invalidStructure(`Missing required attribute "${attribute.key}"`);
    }
    const now = new Date();
    if (structure.relations.size === 0 && permissions === null) {
      await this.store.update(null, p.schema.table, documentId, now, null, structure.columns, since);
    } else {
      await this.store.transaction(async (connection) => {
        const links = await this.relationships.prepareWrites(ctx, connection, p, structure.relations, 1);
        for (const [column, value] of links.columns) structure.columns.set(column, value);
        await this.store.update(connection, p.schema.table, documentId, now, permissions, structure.columns, since);
        await links.apply(documentId, false);
      });
    }
    const updated = { ...row, ...Object.fromEntries(structure.columns), _updatedAt: now, _permissions: permissions ?? row._permissions } as DocumentRow;
    const model = toDocumentModel(updated, p, null);
    setEventReaders(ctx, p, permissionsOf(updated));
    if (p.relations.length) await this.relationships.load(ctx, p, [updated], [model], null, 1);
    return model;
  }

  async delete(ctx: RequestContext, databaseId: string, collectionId: string, documentId: string, timestamp: string | undefined): Promise<void> {
    const since = parseRequestTimestamp(timestamp);
    setEventParams(ctx, databaseId, collectionId, documentId);
    const p = await this.prepared(ctx, databaseId, collectionId);
    const row = await this.store.findOne(p.schema.table, documentId, null);
    if (!row) throw new AppException(ErrorType.DocumentNotFound);
    if (!canWrite(ctx, p.schema, 'delete', permissionsOf(row))) throw new AppException(ErrorType.UserUnauthorized);
    assertNotChangedSince(row._updatedAt, since);
    const model = toDocumentModel(row, p, null);
    if (p.relations.length === 0) {
      await this.store.deleteOne(p.schema.table, documentId);
    } else {
      await this.store.transaction(async (connection) => {
        await this.relationships.beforeDelete(ctx, connection, p, row, 1);
        await this.store.delete(connection, p.schema.table, documentId);
      });
    }
    setEventPayload(ctx, model);
    setEventReaders(ctx, p, permissionsOf(row));
  }

  /** The audit trail of one document (resource `database/<db>/collection/<col>/document/<id>`); limit and offset only. */
  async logs(ctx: RequestContext, databaseId: string, collectionId: string, documentId: string, queries: unknown): Promise<{ total: number; logs: LogModel[] }> {
    const p = await this.prepared(ctx, databaseId, collectionId);
    if (!(await this.store.findOne(p.schema.table, documentId, null))) throw new AppException(ErrorType.DocumentNotFound);
    const groups = validateQueries(parseQueries(queries ?? []), SystemListSchemas.logs);
    const resource = `database/${databaseId}/collection/${collectionId}/document/${documentId}`;
    const [entries, total] = await Promise.all([
      this.audits.listByResource(ctx.projectId, resource, { limit: groups.limit, offset: groups.offset }),
      this.audits.countByResource(ctx.projectId, resource),
    ]);
    return { total, logs: entries.map(toLogModel) };
  }

  private async prepared(ctx: RequestContext, databaseId: string, collectionId: string): Promise<PreparedSchema> {
    const schema: CollectionSchema = await this.schemas.get(ctx.projectId, databaseId, collectionId);
    assertEnabled(ctx, schema);
    return prepare(schema);
  }

  /** Checks `select` keys (dotted ones name a relationship attribute first) and parses them. */
  private selection(groups: QueryGroups, p: PreparedSchema): Selection | null {
    if (!groups.selections) return null;
    for (const key of groups.selections) {
      if (SYSTEM_SELECTABLE.has(key)) continue;
      const head = key.includes('.') ? key.slice(0, key.indexOf('.')) : key;
      const attribute = p.schema.attributes.find((candidate) => candidate.key === head);
      if (!attribute || (head !== key && attribute.type !== 'relationship')) throw queryNotValid(`Attribute not found in schema: ${key}`);
    }
    return parseSelection(groups.selections);
  }
}

/** Event placeholders (the legacy /v1/database routes have no databaseId route param). */
/** Who realtime tells about this document's change (1.3: the collection's readers, plus the document's with documentSecurity). */
function setEventReaders(ctx: RequestContext, p: PreparedSchema, documentPermissions: readonly string[]): void {
  setEventReadRoles(ctx, itemReadRoles(p.schema.collection.permissions ?? [], documentPermissions, p.schema.collection.documentSecurity));
}

function setEventParams(ctx: RequestContext, databaseId: string, collectionId: string, documentId: string): void {
  setEventParam(ctx, 'databaseId', databaseId);
  setEventParam(ctx, 'collectionId', collectionId);
  setEventParam(ctx, 'documentId', documentId);
}

/** The groups without their select queries (validated separately, since dotted keys name relationships). */
function withoutSelects(groups: QueryGroups): QueryGroups {
  return groups.selections ? { ...groups, queries: groups.queries.filter((query) => query.method !== QueryMethod.Select) } : groups;
}

/** A cursor row's values keyed by attribute, for the keyset condition. */
function cursorValues(row: DocumentRow, p: PreparedSchema): Record<string, unknown> {
  const values: Record<string, unknown> = { $id: row._uid, $internalId: row._id, $createdAt: row._createdAt, $updatedAt: row._updatedAt };
  for (const attribute of p.plain) values[attribute.key] = row[attribute.key] ?? null;
  return values;
}

/** 1.3 `data` param: an object, or a JSON string of one. */
function dataParam(value: unknown): Record<string, unknown> {
  let data = value;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid `data` param: Value must be a valid JSON string');
    }
  }
  if (Array.isArray(data) && data.length === 0) return {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid `data` param: Value must be a valid JSON string');
  return data as Record<string, unknown>;
}

/** Validated, `write`-expanded permissions; null when the param was not sent. */
export function permissionsParam(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  assertValidPermissions(value, { allowed: ITEM_PERMISSIONS });
  return aggregatePermissions(value, ITEM_PERMISSIONS);
}
