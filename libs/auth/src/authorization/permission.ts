import { AppException, ErrorType } from '@appconda/core';

import { parseRole, ParsedRole, roleToString, RoleSyntaxError } from './role';

/** Permission types stored on resources; `write` only exists on input (see aggregatePermissions). */
export enum PermissionType {
  Create = 'create',
  Delete = 'delete',
  Read = 'read',
  Update = 'update',
  Write = 'write',
}

/** What `write` stands for (Appwrite 1.3). */
export const WRITE_EXPANSION: readonly PermissionType[] = [PermissionType.Create, PermissionType.Update, PermissionType.Delete];

/** Types collections and buckets accept. */
export const CONTAINER_PERMISSIONS: readonly PermissionType[] = [PermissionType.Read, PermissionType.Create, PermissionType.Update, PermissionType.Delete, PermissionType.Write];

/** Types documents and files accept: nothing creates inside a document, so no `create`. */
export const ITEM_PERMISSIONS: readonly PermissionType[] = [PermissionType.Read, PermissionType.Update, PermissionType.Delete, PermissionType.Write];

/** Appwrite 1.3 `APP_LIMIT_ARRAY_PARAMS_SIZE`: the most entries an array param (permissions too) takes. */
export const MAX_PERMISSIONS = 100;

/** Permission strings as the SDKs build them (`read("any")` ...); byte-identical output. */
export class Permission {
  static read(role: string): string {
    return `read("${role}")`;
  }

  /** Shorthand for create + update + delete; expanded on input by the server. */
  static write(role: string): string {
    return `write("${role}")`;
  }

  static create(role: string): string {
    return `create("${role}")`;
  }

  static update(role: string): string {
    return `update("${role}")`;
  }

  static delete(role: string): string {
    return `delete("${role}")`;
  }
}

export interface ParsedPermission extends ParsedRole {
  type: PermissionType;
  /** The role part rebuilt canonically (`user:abc/verified`). */
  roleString: string;
}

const TYPES: ReadonlySet<string> = new Set(Object.values(PermissionType));
const SHAPE = /^([a-z]+)\("([^"]*)"\)$/;

/**
 * Strictly parses one permission string: `<type>("<role>")` with no spaces or extra quotes, a known
 * type and a valid role. Throws RoleSyntaxError with a message fit for the API response.
 */
export function parsePermission(value: string): ParsedPermission {
  if (typeof value !== 'string') throw new RoleSyntaxError('Every permission must be of type string.');
  // Appwrite 1.x rejects the 0.x forms with a pointed message.
  if (value === '*') throw new RoleSyntaxError('Wildcard permission "*" has been replaced. Use "any" instead.');
  if (value.includes('role:')) throw new RoleSyntaxError('Permissions using the "role:" prefix have been replaced. Use "users", "guests", or "any" instead.');
  const match = SHAPE.exec(value);
  if (!match) throw new RoleSyntaxError(`Invalid permission string format: "${value}".`);
  const [, type, role] = match;
  if (!TYPES.has(type)) throw new RoleSyntaxError(`Invalid permission type: "${type}".`);
  const parsed = parseRole(role);
  return { ...parsed, type: type as PermissionType, roleString: roleToString(parsed) };
}

export interface ValidatePermissionsOptions {
  /** Types the target accepts (default: every type incl. write). */
  allowed?: readonly PermissionType[];
  /** Most entries accepted (default 100; 0 = unlimited). */
  max?: number;
  /** Param name used in the error message (default `permissions`). */
  param?: string;
}

/** Why a permissions param is invalid, or undefined when it is fine. */
export function permissionsProblem(permissions: unknown, options: ValidatePermissionsOptions = {}): string | undefined {
  const allowed = options.allowed ?? CONTAINER_PERMISSIONS;
  const max = options.max ?? MAX_PERMISSIONS;
  if (!Array.isArray(permissions)) return 'Permissions must be an array of strings.';
  if (max && permissions.length > max) return `You can only provide up to ${max} permissions.`;
  for (const permission of permissions) {
    try {
      const parsed = parsePermission(permission);
      if (!allowed.includes(parsed.type)) return `Permission "${permission}" is not allowed. Must be one of: ${allowed.join(', ')}.`;
    } catch (error) {
      if (error instanceof RoleSyntaxError) return error.message;
      throw error;
    }
  }
  return undefined;
}

/**
 * Validates a user-supplied permissions param; throws 400 `general_argument_invalid`
 * ("Invalid `permissions` param: ...") as Appwrite 1.3's param validation does.
 */
export function assertValidPermissions(permissions: unknown, options: ValidatePermissionsOptions = {}): asserts permissions is string[] {
  const problem = permissionsProblem(permissions, options);
  if (problem) throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid \`${options.param ?? 'permissions'}\` param: ${problem}`);
}

/**
 * Expands `write("<role>")` into the individual types `allowed` contains (create+update+delete on
 * collections/buckets, update+delete on documents/files), drops duplicates (first occurrence wins)
 * and canonicalises the role part. Output never contains `write`. Input must be valid.
 */
export function aggregatePermissions(permissions: readonly string[], allowed: readonly PermissionType[] = CONTAINER_PERMISSIONS): string[] {
  const kept: string[] = [];
  const expanded: string[] = [];
  for (const permission of permissions) {
    const parsed = parsePermission(permission);
    if (parsed.type !== PermissionType.Write) {
      kept.push(`${parsed.type}("${parsed.roleString}")`);
      continue;
    }
    for (const type of WRITE_EXPANSION) if (allowed.includes(type)) expanded.push(`${type}("${parsed.roleString}")`);
  }
  return [...new Set([...kept, ...expanded])];
}

/** The roles a permission list grants `read` to (a stored `write` grants none; unparsable entries are skipped). */
export function readRolesOf(permissions: readonly string[]): string[] {
  const roles: string[] = [];
  for (const permission of permissions) {
    try {
      const parsed = parsePermission(permission);
      if (parsed.type === PermissionType.Read) roles.push(parsed.roleString);
    } catch {
      continue;
    }
  }
  return roles;
}

/**
 * Who may read an item of a container (a document of a collection, a file of a bucket), as 1.3's
 * realtime computes an event's roles: the container's read roles, plus the item's own when the
 * container has item security (documentSecurity / fileSecurity).
 */
export function itemReadRoles(containerPermissions: readonly string[], itemPermissions: readonly string[], itemSecurity: boolean): string[] {
  const roles = readRolesOf(containerPermissions);
  return itemSecurity ? [...new Set([...roles, ...readRolesOf(itemPermissions)])] : roles;
}
