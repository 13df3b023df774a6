import { Authorization, isPrivilegedRole, Permission, Role } from '@appconda/auth';
import { AppException, AuthType, ErrorType, RequestContext } from '@appconda/core';

/** The team role that may rename, delete and manage members (Appwrite 1.3). */
export const OWNER_ROLE = 'owner';

/**
 * Permissions 1.3 stores on a team: members read it, owners update and delete it. Requests check
 * them with the caller's roles, which come from confirmed memberships (`team:<id>`, `team:<id>/owner`).
 */
export function teamPermissions(teamId: string): string[] {
  const owners = Role.team(teamId, OWNER_ROLE);
  return [Permission.read(Role.team(teamId)), Permission.update(owners), Permission.delete(owners)];
}

/** Permissions of the membership created with a team: the creator and the team read it, the creator or owners change it. */
export function creatorMembershipPermissions(teamId: string, userId: string): string[] {
  const user = Role.user(userId);
  const owners = Role.team(teamId, OWNER_ROLE);
  return [Permission.read(user), Permission.read(Role.team(teamId)), Permission.update(user), Permission.update(owners), Permission.delete(user), Permission.delete(owners)];
}

/** Permissions of an invited membership: anyone may read it (1.3), the invitee or owners change it. */
export function inviteMembershipPermissions(teamId: string, userId: string): string[] {
  const user = Role.user(userId);
  const owners = Role.team(teamId, OWNER_ROLE);
  return [Permission.read(Role.any()), Permission.update(user), Permission.update(owners), Permission.delete(user), Permission.delete(owners)];
}

/** API keys and console admins (1.3's app and privileged users): no permission checks, memberships confirmed at once. */
export function isPrivileged(ctx: RequestContext): boolean {
  return ctx.skipPermissions;
}

/**
 * Who manages the members of any team without being its owner (1.3's `isPrivilegedUser || isAppUser`):
 * API keys and console owners, admins and developers. A plain member of the console organization in
 * admin mode reads past permissions but may not invite or change roles.
 */
export function managesAnyTeam(ctx: RequestContext): boolean {
  return ctx.authType === AuthType.Key || (ctx.skipPermissions && isPrivilegedRole(ctx.role));
}

export function isTeamOwner(ctx: RequestContext, teamId: string): boolean {
  return ctx.roles.has(Role.team(teamId, OWNER_ROLE));
}

/** Whether the caller may act on a row with these permissions (always true for keys and admins). */
export function allowed(ctx: RequestContext, action: 'read' | 'update' | 'delete', permissions: readonly string[]): boolean {
  return Authorization.for(ctx).isAllowed(action, permissions ?? []);
}

/** A write the caller's roles do not permit: 1.3 turns the database's authorization failure into 401 user_unauthorized. */
export function assertAllowed(ctx: RequestContext, action: 'update' | 'delete', permissions: readonly string[], message?: string): void {
  if (!allowed(ctx, action, permissions)) throw new AppException(ErrorType.UserUnauthorized, message);
}

/** The team IDs the caller is a confirmed member of (its `team:<id>` roles); null when it sees every team. */
export function readableTeamIds(ctx: RequestContext): string[] | null {
  if (isPrivileged(ctx)) return null;
  const ids: string[] = [];
  for (const role of ctx.roles) {
    const match = /^team:([^/]+)$/.exec(role);
    if (match) ids.push(match[1]);
  }
  return ids;
}

/**
 * 1.3's optimistic-concurrency guard (`X-Appwrite-Timestamp`): a write fails with 409
 * document_update_conflict when the row changed after the given instant; an unparsable header is 400.
 */
export function assertUnchangedSince(updatedAt: Date, header: string | undefined): void {
  if (header === undefined || header === '') return;
  const since = new Date(header);
  if (Number.isNaN(since.getTime())) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid X-Appwrite-Timestamp header value');
  if (updatedAt.getTime() > since.getTime()) throw new AppException(ErrorType.DocumentUpdateConflict);
}
