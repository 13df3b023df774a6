/**
 * Appwrite 1.3 scopes. Values are the exact wire strings used in API keys (`scopes` of a key)
 * and in the role → scopes map (see roles.ts).
 */
export enum Scope {
  // Scopes an API key can be granted (Appwrite's scopes.json), in Appwrite's order.
  UsersRead = 'users.read',
  UsersWrite = 'users.write',
  TeamsRead = 'teams.read',
  TeamsWrite = 'teams.write',
  DatabasesRead = 'databases.read',
  DatabasesWrite = 'databases.write',
  CollectionsRead = 'collections.read',
  CollectionsWrite = 'collections.write',
  AttributesRead = 'attributes.read',
  AttributesWrite = 'attributes.write',
  IndexesRead = 'indexes.read',
  IndexesWrite = 'indexes.write',
  DocumentsRead = 'documents.read',
  DocumentsWrite = 'documents.write',
  FilesRead = 'files.read',
  FilesWrite = 'files.write',
  BucketsRead = 'buckets.read',
  BucketsWrite = 'buckets.write',
  FunctionsRead = 'functions.read',
  FunctionsWrite = 'functions.write',
  ExecutionRead = 'execution.read',
  ExecutionWrite = 'execution.write',
  LocaleRead = 'locale.read',
  AvatarsRead = 'avatars.read',
  HealthRead = 'health.read',

  // Scopes that only roles carry (sessions and the console); an API key cannot be granted them.
  Account = 'account',
  Console = 'console',
  Graphql = 'graphql',
  Home = 'home',
  KeysRead = 'keys.read',
  KeysWrite = 'keys.write',
  PlatformsRead = 'platforms.read',
  PlatformsWrite = 'platforms.write',
  ProjectsRead = 'projects.read',
  ProjectsWrite = 'projects.write',
  Public = 'public',
  WebhooksRead = 'webhooks.read',
  WebhooksWrite = 'webhooks.write',
}

/** The scopes an API key may hold (Appwrite 1.3 rejects any other value in a key's `scopes`). */
export const API_KEY_SCOPES: readonly Scope[] = [
  Scope.UsersRead,
  Scope.UsersWrite,
  Scope.TeamsRead,
  Scope.TeamsWrite,
  Scope.DatabasesRead,
  Scope.DatabasesWrite,
  Scope.CollectionsRead,
  Scope.CollectionsWrite,
  Scope.AttributesRead,
  Scope.AttributesWrite,
  Scope.IndexesRead,
  Scope.IndexesWrite,
  Scope.DocumentsRead,
  Scope.DocumentsWrite,
  Scope.FilesRead,
  Scope.FilesWrite,
  Scope.BucketsRead,
  Scope.BucketsWrite,
  Scope.FunctionsRead,
  Scope.FunctionsWrite,
  Scope.ExecutionRead,
  Scope.ExecutionWrite,
  Scope.LocaleRead,
  Scope.AvatarsRead,
  Scope.HealthRead,
];

const API_KEY_SCOPE_SET: ReadonlySet<string> = new Set(API_KEY_SCOPES);

/** True when `value` is a scope an API key may be granted. */
export function isApiKeyScope(value: string): value is Scope {
  return API_KEY_SCOPE_SET.has(value);
}
