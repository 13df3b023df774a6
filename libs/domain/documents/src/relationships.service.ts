import { Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException, isValidCustomId, RequestContext, resolveId, UNIQUE_ID } from '@appconda/core';
import { aggregatePermissions, assertValidPermissions, Authorization, ITEM_PERMISSIONS } from '@appconda/auth';
import { AttributeEntity } from '@appconda/database';
import { CollectionSchemaService, RelationshipOptions } from '@appconda/databases';

import { canCreate, canWrite, defaultPermissions, readScope } from './document.access';
import { DocumentModel, permissionsOf, prepare, PreparedSchema, relationOptions, toDocumentModel } from './document.model';
import { checkStructure, invalidStructure } from './document.structure';
import { DocumentRow, DocumentsStore, Executor } from './documents.store';
import { linkShape, MAX_DEPTH, Selection } from './relationships';

/** Links to write once the owning row exists (its `$id` is known and it is in the table). */
export interface PendingLinks {
  /** Own columns holding a related `$id` (set before the row is written). */
  columns: Map<string, string | null>;
  apply(id: string, created: boolean): Promise<void>;
}

/** 1.3 (utopia-php/database 0.36) refuses a restricted delete only from these sides. */
function restricts(options: RelationshipOptions): boolean {
  return options.side === 'child' ? options.relationType === 'manyToOne' : options.relationType !== 'manyToOne';
}

/**
 * Relationship attributes of documents: batched loads of related documents (one IN query per
 * relationship and level, read permissions inside the SQL, up to 3 levels, no back-references),
 * nested creates/updates and links on write, and onDelete (restrict, cascade, setNull) on delete.
 */
@Injectable()
export class RelationshipsService {
  constructor(
    private readonly schemas: CollectionSchemaService,
    private readonly store: DocumentsStore,
  ) {}

  /** Fills the relationship attributes of `models` (rows[i] is the row of models[i]). */
  async load(ctx: RequestContext, p: PreparedSchema, rows: readonly DocumentRow[], models: DocumentModel[], selection: Selection | null, depth: number, exclude?: string): Promise<void> {
    for (const attribute of p.relations) {
      if (attribute.key === exclude || (selection && !selection.keys.has(attribute.key))) continue;
      const rp = await this.related(ctx, p, attribute);
      if (!rp) continue;
      const shape = linkShape(attribute, p.schema, rp.schema);
      const options = relationOptions(attribute);
      const scope = readScope(ctx, rp.schema);
      const nested = selection ? (selection.nested.get(attribute.key) ?? null) : null;
      let related: DocumentRow[] = [];
      let pairs: { _parent: string; _child: string }[] = [];
      if (scope !== 'deny') {
        if (shape.kind === 'column') {
          const ids = [...new Set(rows.map((row) => row[attribute.key]).filter((id): id is string => typeof id === 'string' && id !== ''))];
          related = await this.store.findIn(rp.schema.table, '_uid', ids, scope);
        } else if (shape.kind === 'reverse') {
          related = await this.store.findIn(rp.schema.table, shape.fk, rows.map((row) => row._uid), scope);
        } else {
          pairs = await this.store.junctionPairs(shape.junction, shape.mine, rows.map((row) => row._uid));
          related = await this.store.findIn(rp.schema.table, '_uid', [...new Set(pairs.map((pair) => pair[shape.theirs]))], scope);
        }
      }
      const relatedModels = related.map((row) => toDocumentModel(row, rp, nested?.keys ?? null));
      if (rp.relations.length && related.length && depth < MAX_DEPTH) {
        await this.load(ctx, rp, related, relatedModels, nested, depth + 1, options.twoWay ? options.twoWayKey : undefined);
      }
      if (shape.kind === 'column') {
        const byId = new Map(relatedModels.map((model) => [model.$id, model]));
        rows.forEach((row, i) => (models[i][attribute.key] = byId.get(row[attribute.key] as string) ?? null));
        continue;
      }
      const groups = new Map<string, DocumentModel[]>();
      const add = (owner: string, model: DocumentModel | undefined) => {
        if (!model) return;
        const list = groups.get(owner);
        if (list) list.push(model);
        else groups.set(owner, [model]);
      };
      if (shape.kind === 'reverse') {
        related.forEach((row, j) => add(row[shape.fk] as string, relatedModels[j]));
      } else {
        const byId = new Map(relatedModels.map((model) => [model.$id, model]));
        for (const pair of pairs) add(pair[shape.mine], byId.get(pair[shape.theirs]));
      }
      rows.forEach((row, i) => (models[i][attribute.key] = groups.get(row._uid) ?? []));
    }
  }

  /**
   * Resolves relationship values sent in a document write: ids are linked as they are, nested documents
   * are created (collection create permission) or updated (update permission) first. Returns the own
   * columns to set and the links to write after the row.
   */
  async prepareWrites(ctx: RequestContext, connection: Executor, p: PreparedSchema, relations: ReadonlyMap<string, unknown>, depth: number): Promise<PendingLinks> {
    const columns = new Map<string, string | null>();
    const steps: ((id: string, created: boolean) => Promise<void>)[] = [];
    for (const [key, value] of relations) {
      const attribute = p.relations.find((candidate) => candidate.key === key)!;
      const rp = await this.related(ctx, p, attribute);
      if (!rp) continue;
      const shape = linkShape(attribute, p.schema, rp.schema);
      const options = relationOptions(attribute);
      if (shape.many) {
        if (value !== null && !Array.isArray(value)) throw invalidStructure(`Attribute "${key}" must be an array`);
        const ids: string[] = [];
        for (const item of (value as unknown[] | null) ?? []) ids.push(await this.writeRelated(ctx, connection, rp, key, item, depth));
        steps.push(async (id, created) => {
          if (shape.kind === 'reverse') {
            if (!created) await this.store.clearColumn(connection, rp.schema.table, shape.fk, [id], ids);
            await this.store.setColumn(connection, rp.schema.table, shape.fk, id, ids);
          } else if (shape.kind === 'junction') {
            if (!created) await this.store.deleteJunction(connection, shape.junction, shape.mine, id);
            await this.store.insertJunction(connection, shape.junction, ids.map((other) => (shape.mine === '_parent' ? [id, other] : [other, id])));
          }
        });
        continue;
      }
      if (Array.isArray(value)) throw invalidStructure(`Attribute "${key}" has invalid type. Value must be a single document or ID`);
      const relatedId = value === null || value === undefined ? null : await this.writeRelated(ctx, connection, rp, key, value, depth);
      columns.set(key, relatedId);
      if (options.relationType === 'oneToOne' && relatedId) {
        // 1.3 keeps a unique index on a oneToOne column: a document already linked elsewhere is a duplicate.
        steps.push(async (id) => {
          const holders = await this.store.findIn(p.schema.table, key, [relatedId], null, connection);
          if (holders.some((holder) => holder._uid !== id)) throw new AppException(ErrorType.DocumentAlreadyExists, 'Document already has a related document');
        });
      }
      if (options.relationType === 'oneToOne' && options.twoWay) {
        steps.push(async (id, created) => {
          if (!created) await this.store.clearColumn(connection, rp.schema.table, options.twoWayKey, [id], relatedId ? [relatedId] : []);
          if (relatedId) await this.store.setColumn(connection, rp.schema.table, options.twoWayKey, id, [relatedId]);
        });
      }
    }
    return {
      columns,
      apply: async (id, created) => {
        for (const step of steps) await step(id, created);
      },
    };
  }

  /** Unlinks, refuses (restrict) or deletes (cascade) what a document about to be deleted is related to. */
  async beforeDelete(ctx: RequestContext, connection: Executor, p: PreparedSchema, row: DocumentRow, depth: number, exclude?: string): Promise<void> {
    const id = row._uid;
    for (const attribute of p.relations) {
      if (attribute.key === exclude) continue;
      const rp = await this.related(ctx, p, attribute);
      if (!rp) continue;
      const shape = linkShape(attribute, p.schema, rp.schema);
      const options = relationOptions(attribute);
      let linked: string[];
      if (shape.kind === 'column') linked = typeof row[attribute.key] === 'string' && row[attribute.key] ? [row[attribute.key] as string] : [];
      else if (shape.kind === 'reverse') linked = (await this.store.findIn(rp.schema.table, shape.fk, [id], null, connection)).map((related) => related._uid);
      else linked = (await this.store.junctionPairs(shape.junction, shape.mine, [id], connection)).map((pair) => pair[shape.theirs]);

      if (options.onDelete === 'restrict' && linked.length && restricts(options)) throw new AppException(ErrorType.DocumentDeleteRestricted);
      // Cascade never deletes the shared "one" side from a "many" document (manyToOne parent, oneToMany child).
      const sharedOne = shape.kind === 'column' && options.relationType !== 'oneToOne';
      if (options.onDelete === 'cascade' && !sharedOne) {
        for (const relatedId of linked) {
          const relatedRow = await this.store.findOne(rp.schema.table, relatedId, null, connection);
          if (!relatedRow) continue;
          if (rp.relations.length && depth < MAX_DEPTH) await this.beforeDelete(ctx, connection, rp, relatedRow, depth + 1, options.twoWay ? options.twoWayKey : undefined);
          await this.store.delete(connection, rp.schema.table, relatedId);
        }
      } else if (shape.kind === 'reverse') {
        await this.store.clearColumn(connection, rp.schema.table, shape.fk, [id]);
      } else if (options.relationType === 'oneToOne' && options.twoWay) {
        await this.store.clearColumn(connection, rp.schema.table, options.twoWayKey, [id]);
      }
      if (shape.kind === 'junction') await this.store.deleteJunction(connection, shape.junction, shape.mine, id);
    }
  }

  /** A related value as an id: a string is linked as it is; a document is created or updated first. */
  private async writeRelated(ctx: RequestContext, connection: Executor, rp: PreparedSchema, key: string, item: unknown, depth: number): Promise<string> {
    if (typeof item === 'string') return item;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalidStructure(`Attribute "${key}" has invalid type. Value must be a document or a document ID`);
    }
    const document = item as Record<string, unknown>;
    const requested = typeof document.$id === 'string' ? document.$id : UNIQUE_ID;
    if (!isValidCustomId(requested)) throw invalidStructure(`Attribute "${key}" has an invalid related document ID`);
    let permissions: string[] | null = null;
    if (document.$permissions !== undefined && document.$permissions !== null) {
      assertValidPermissions(document.$permissions, { allowed: ITEM_PERMISSIONS });
      permissions = aggregatePermissions(document.$permissions, ITEM_PERMISSIONS);
      if (!ctx.skipPermissions) Authorization.assertCanGrant(permissions, ctx.roles);
    }
    const data: Record<string, unknown> = {};
    for (const name of Object.keys(document)) if (!name.startsWith('$')) data[name] = document[name];
    const id = resolveId(requested);
    const existing = requested === UNIQUE_ID ? null : await this.store.findOne(rp.schema.table, id, null, connection);
    const now = new Date();
    if (existing) {
      const structure = checkStructure(rp.schema.attributes, rp.known, data, true);
      if (structure.columns.size === 0 && structure.relations.size === 0 && permissions === null) return id;
      if (!canWrite(ctx, rp.schema, 'update', permissionsOf(existing))) throw new AppException(ErrorType.UserUnauthorized);
      const links = structure.relations.size && depth < MAX_DEPTH ? await this.prepareWrites(ctx, connection, rp, structure.relations, depth + 1) : null;
      for (const [column, value] of links?.columns ?? []) structure.columns.set(column, value);
      await this.store.update(connection, rp.schema.table, id, now, permissions, structure.columns);
      await links?.apply(id, false);
      return id;
    }
    if (!canCreate(ctx, rp.schema)) throw new AppException(ErrorType.UserUnauthorized);
    const structure = checkStructure(rp.schema.attributes, rp.known, data, false);
    const links = structure.relations.size && depth < MAX_DEPTH ? await this.prepareWrites(ctx, connection, rp, structure.relations, depth + 1) : null;
    for (const [column, value] of links?.columns ?? []) structure.columns.set(column, value);
    await this.store.insert(connection, rp.schema.table, id, now, permissions ?? (ctx.userId ? defaultPermissions(ctx.userId) : []), structure.columns);
    await links?.apply(id, true);
    return id;
  }

  private async related(ctx: RequestContext, p: PreparedSchema, attribute: AttributeEntity): Promise<PreparedSchema | null> {
    try {
      return prepare(await this.schemas.get(ctx.projectId, p.schema.database.uid, relationOptions(attribute).relatedCollection));
    } catch (error) {
      if (error instanceof AppException && error.type === ErrorType.CollectionNotFound.type) return null;
      throw error;
    }
  }
}
