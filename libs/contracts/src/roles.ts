import { Scope } from './scopes';

/** Appwrite 1.3 roles a request can act under; values are the wire strings. */
export enum Role {
  Admin = 'admin',
  Apps = 'apps',
  Developer = 'developer',
  Guests = 'guests',
  Owner = 'owner',
  Users = 'users',
}

export interface RoleDefinition {
  label: string;
  scopes: readonly Scope[];
}

// Shared building blocks; the lists below keep Appwrite's order so diffs against 1.3 stay readable.
const USER_SCOPES: readonly Scope[] = [
  Scope.Public,
  Scope.Home,
  Scope.Console,
  Scope.Graphql,
  Scope.Account,
  Scope.TeamsRead,
  Scope.TeamsWrite,
  Scope.DocumentsRead,
  Scope.DocumentsWrite,
  Scope.FilesRead,
  Scope.FilesWrite,
  Scope.ProjectsRead,
  Scope.ProjectsWrite,
  Scope.LocaleRead,
  Scope.AvatarsRead,
  Scope.ExecutionRead,
  Scope.ExecutionWrite,
];

// Console team members with the admin or developer role hold the same project-management scopes.
const ADMIN_SCOPES: readonly Scope[] = [
  Scope.Graphql,
  Scope.TeamsRead,
  Scope.TeamsWrite,
  Scope.DocumentsRead,
  Scope.DocumentsWrite,
  Scope.FilesRead,
  Scope.FilesWrite,
  Scope.BucketsRead,
  Scope.BucketsWrite,
  Scope.UsersRead,
  Scope.UsersWrite,
  Scope.DatabasesRead,
  Scope.DatabasesWrite,
  Scope.CollectionsRead,
  Scope.CollectionsWrite,
  Scope.PlatformsRead,
  Scope.PlatformsWrite,
  Scope.KeysRead,
  Scope.KeysWrite,
  Scope.WebhooksRead,
  Scope.WebhooksWrite,
  Scope.LocaleRead,
  Scope.AvatarsRead,
  Scope.HealthRead,
  Scope.FunctionsRead,
  Scope.FunctionsWrite,
  Scope.ExecutionRead,
  Scope.ExecutionWrite,
];

/** Role → label and scopes, as Appwrite 1.3 defines them. */
export const ROLES: Readonly<Record<Role, RoleDefinition>> = {
  [Role.Guests]: {
    label: 'Guests',
    scopes: [
      Scope.Public,
      Scope.Home,
      Scope.Console,
      Scope.Graphql,
      Scope.DocumentsRead,
      Scope.DocumentsWrite,
      Scope.FilesRead,
      Scope.FilesWrite,
      Scope.LocaleRead,
      Scope.AvatarsRead,
      Scope.ExecutionWrite,
    ],
  },
  [Role.Users]: { label: 'Users', scopes: USER_SCOPES },
  [Role.Admin]: { label: 'Admin', scopes: ADMIN_SCOPES },
  [Role.Developer]: { label: 'Developer', scopes: ADMIN_SCOPES },
  // Appwrite builds the owner list as users + admin; duplicates are dropped here (order kept).
  [Role.Owner]: { label: 'Owner', scopes: [...new Set([...USER_SCOPES, ...ADMIN_SCOPES])] },
  [Role.Apps]: { label: 'Applications', scopes: [Scope.HealthRead, Scope.Graphql] },
};

/** True when `value` names a known role. */
export function isRole(value: string): value is Role {
  return Object.prototype.hasOwnProperty.call(ROLES, value);
}

/** Scopes granted to `role`; an unknown role gets none. */
export function scopesForRole(role: Role | string): readonly Scope[] {
  return isRole(role) ? ROLES[role].scopes : [];
}
