import { Role as AppRole, scopesForRole } from '@appconda/contracts';

/**
 * The scopes a request acts with: its role's scopes (contracts' role → scopes map, Appwrite's
 * roles.json) plus, for API keys (role `apps`), the key's own scopes.
 */
export function scopesFor(role: AppRole | string, extra: Iterable<string> = []): Set<string> {
  return new Set<string>([...scopesForRole(role), ...extra]);
}

/** Roles of console team members that make them project admins (permission checks off in admin mode). */
export const PRIVILEGED_ROLES: readonly AppRole[] = [AppRole.Owner, AppRole.Developer, AppRole.Admin];

export function isPrivilegedRole(role: string): boolean {
  return (PRIVILEGED_ROLES as readonly string[]).includes(role);
}
