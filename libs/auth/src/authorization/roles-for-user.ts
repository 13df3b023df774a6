import { Role } from './role';

/** The user fields role computation reads (a subset of the `users` record). */
export interface RoleSubject {
  $id: string;
  emailVerification?: boolean;
  phoneVerification?: boolean;
}

/** The membership fields role computation reads (a subset of the `memberships` record). */
export interface RoleMembership {
  $id: string;
  teamId: string;
  roles?: readonly string[];
  /** Only confirmed memberships grant team roles; pending invites grant nothing. */
  confirm?: boolean;
}

/**
 * The authorization roles of a request, as Appwrite 1.3 `Auth::getRoles` computes them plus the
 * implicit `any`:
 * - no user: `any`, `guests`;
 * - a user: `any`, `user:<id>`, `users`, then `user:<id>/verified` + `users/verified` when the email
 *   OR the phone is verified, otherwise the `/unverified` pair;
 * - per confirmed membership: `team:<teamId>`, `member:<membershipId>`, and `team:<teamId>/<role>` per team role.
 */
export function rolesForUser(user: RoleSubject | null | undefined, memberships: readonly RoleMembership[] = []): string[] {
  if (!user?.$id) return [Role.any(), Role.guests()];
  const status = user.emailVerification || user.phoneVerification ? 'verified' : 'unverified';
  const roles = [Role.any(), Role.user(user.$id), Role.users(), Role.user(user.$id, status), Role.users(status)];
  for (const membership of memberships) {
    if (!membership.confirm || !membership.$id || !membership.teamId) continue;
    roles.push(Role.team(membership.teamId), Role.member(membership.$id));
    for (const teamRole of membership.roles ?? []) roles.push(Role.team(membership.teamId, teamRole));
  }
  return [...new Set(roles)];
}
