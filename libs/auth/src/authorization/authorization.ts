import { AppException, ErrorType } from '@appconda/core';

import { parsePermission, PermissionType, WRITE_EXPANSION } from './permission';
import { RoleSyntaxError } from './role';

function parseOrReject(permission: string) {
  try {
    return parsePermission(permission);
  } catch (error) {
    if (error instanceof RoleSyntaxError) throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid \`permissions\` param: ${error.message}`);
    throw error;
  }
}

type Action = `${Exclude<PermissionType, PermissionType.Write>}`;

function roleSet(roles: Iterable<string>): ReadonlySet<string> {
  return roles instanceof Set ? roles : new Set(roles);
}

/**
 * Permission evaluation over permission strings (`read("user:abc")` ...) and a request's roles.
 * API keys and console admins skip these checks entirely (RequestContext.skipPermissions); callers
 * decide that before asking, the same way Appwrite switches `Authorization` off for them.
 */
export class Authorization {
  constructor(
    private readonly roles: ReadonlySet<string>,
    private readonly skip = false,
  ) {}

  /** A checker for one request: its roles, and whether it bypasses permissions. */
  static for(ctx: { roles: Iterable<string>; skipPermissions?: boolean }): Authorization {
    return new Authorization(roleSet(ctx.roles), ctx.skipPermissions ?? false);
  }

  /**
   * True when one of `permissions` of type `action` names a role the caller holds. A stored
   * `write(...)` (never produced by 1.3, tolerated for hand-made data) counts for create/update/delete.
   * Unparsable entries are ignored.
   */
  static isAllowed(action: Action, permissions: readonly string[], roles: Iterable<string>): boolean {
    const held = roleSet(roles);
    for (const permission of permissions) {
      let parsed;
      try {
        parsed = parsePermission(permission);
      } catch {
        continue;
      }
      const matches = parsed.type === action || (parsed.type === PermissionType.Write && WRITE_EXPANSION.includes(action as PermissionType));
      if (matches && held.has(parsed.roleString)) return true;
    }
    return false;
  }

  /**
   * Appwrite 1.3 rule for non-privileged writers (createDocument/updateDocument, createFile/updateFile,
   * teams and buckets alike): a user may only put roles they hold themselves into `$permissions`, so a
   * user cannot hand `user:<someone else>` or a team they are not in access to their document. Any
   * other role fails with 401 `user_unauthorized` "Permissions must be one of: (<the caller's roles>)".
   * API keys and console admins are exempt; callers skip this check for them.
   */
  static assertCanGrant(permissions: readonly string[], roles: Iterable<string>): void {
    const held = roleSet(roles);
    for (const permission of permissions) {
      const { roleString } = parseOrReject(permission);
      if (!held.has(roleString)) {
        throw new AppException(ErrorType.UserUnauthorized, `Permissions must be one of: (${[...held].join(', ')})`);
      }
    }
  }

  /** Instance form of isAllowed; always true for callers that skip permissions. */
  isAllowed(action: Action, permissions: readonly string[]): boolean {
    return this.skip || Authorization.isAllowed(action, permissions, this.roles);
  }

  /** Instance form of assertCanGrant; a no-op for callers that skip permissions. */
  assertCanGrant(permissions: readonly string[]): void {
    if (!this.skip) Authorization.assertCanGrant(permissions, this.roles);
  }

  get skipsPermissions(): boolean {
    return this.skip;
  }
}
