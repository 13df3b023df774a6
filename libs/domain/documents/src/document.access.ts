import { ErrorType } from '@appconda/contracts';
import { AppException, AuthType, RequestContext } from '@appconda/core';
import { Authorization, Permission, Role } from '@appconda/auth';
import type { CollectionSchema } from '@appconda/databases';

import { prepare } from './document.model';

/** The document-level read check to put in SQL: null = none needed, roles = EXISTS on `_perms`, 'deny' = nothing readable. */
export type ReadScope = readonly string[] | null | 'deny';

/** Console admins see disabled databases and collections; everyone else gets 404 (1.3 `mode` check). */
export function assertEnabled(ctx: RequestContext, schema: CollectionSchema): void {
  if (ctx.authType === AuthType.Admin) return;
  if (!schema.database.enabled) throw new AppException(ErrorType.DatabaseNotFound);
  if (!schema.collection.enabled) throw new AppException(ErrorType.CollectionNotFound);
}

/**
 * How a caller's reads of a collection are checked: keys and admins skip permissions; collection-level
 * read covers every document; otherwise only with documentSecurity, per document, through `_perms`.
 */
export function readScope(ctx: RequestContext, schema: CollectionSchema): ReadScope {
  if (ctx.skipPermissions) return null;
  if (holdsAny(ctx, prepare(schema).collectionRoles.read)) return null;
  return schema.collection.documentSecurity ? rolesOf(ctx) : 'deny';
}

function holdsAny(ctx: RequestContext, roles: ReadonlySet<string>): boolean {
  for (const role of roles) if (ctx.roles.has(role)) return true;
  return false;
}

/** Whether the caller may update/delete a document: collection permission, or the document's own with documentSecurity. */
export function canWrite(ctx: RequestContext, schema: CollectionSchema, action: 'update' | 'delete', documentPermissions: readonly string[]): boolean {
  if (ctx.skipPermissions) return true;
  if (holdsAny(ctx, prepare(schema).collectionRoles[action])) return true;
  return schema.collection.documentSecurity && Authorization.isAllowed(action, documentPermissions, ctx.roles);
}

export function canCreate(ctx: RequestContext, schema: CollectionSchema): boolean {
  return ctx.skipPermissions || holdsAny(ctx, prepare(schema).collectionRoles.create);
}

const rolesCache = new WeakMap<ReadonlySet<string>, readonly string[]>();

export function rolesOf(ctx: RequestContext): readonly string[] {
  let roles = rolesCache.get(ctx.roles);
  if (!roles) {
    roles = [...ctx.roles];
    rolesCache.set(ctx.roles, roles);
  }
  return roles;
}

/**
 * 1.3's optimistic-concurrency guard: with `X-Appwrite-Timestamp`, a write fails with 409
 * document_update_conflict when the document changed after that instant.
 */
export function parseRequestTimestamp(header: string | undefined): Date | null {
  if (!header) return null;
  const date = new Date(header);
  if (Number.isNaN(date.getTime())) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid X-Appwrite-Timestamp header value');
  return date;
}

export function assertNotChangedSince(updatedAt: Date, since: Date | null): void {
  if (since && updatedAt.getTime() > since.getTime()) throw new AppException(ErrorType.DocumentUpdateConflict);
}

/** 1.3: a user creating a document without permissions gets read, update and delete on it. */
export function defaultPermissions(userId: string): string[] {
  const role = Role.user(userId);
  return [Permission.read(role), Permission.update(role), Permission.delete(role)];
}
