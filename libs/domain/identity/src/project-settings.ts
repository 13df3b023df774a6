import { PlatformEntity, ProjectEntity } from '@appconda/database';

/** Project auth settings (`auths`), with Appwrite 1.3's defaults for anything not stored. */
export interface AuthSettings {
  /** Maximum users; 0 = unlimited. */
  limit: number;
  /** Session length in seconds. */
  duration: number;
  maxSessions: number;
  passwordHistory: number;
  passwordDictionary: boolean;
  /** Auth method key (auth.json `key`: emailPassword, usersAuthMagicURL, anonymous, invites, JWT, phone) → enabled. */
  methods: Record<string, boolean>;
}

export const AUTH_METHOD_KEYS = ['emailPassword', 'usersAuthMagicURL', 'anonymous', 'invites', 'JWT', 'phone'] as const;

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  limit: 0,
  duration: 31536000,
  maxSessions: 10,
  passwordHistory: 0,
  passwordDictionary: false,
  methods: Object.fromEntries(AUTH_METHOD_KEYS.map((key) => [key, true])),
};

/** What the pipeline keeps about the request's project. */
export interface ProjectContext {
  id: string;
  internalId: string | null;
  name: string;
  /** The console team that owns the project (null for the console itself). */
  teamId: string | null;
  auths: AuthSettings;
  /** Service id → enabled; missing means enabled. */
  services: Record<string, boolean>;
  authProviders: Record<string, unknown>;
  platforms: Pick<PlatformEntity, 'type' | 'hostname' | 'key'>[];
  entity: ProjectEntity | null;
}

export const CONSOLE_PROJECT_ID = 'console';

export function authSettings(stored: Record<string, unknown> | null | undefined): AuthSettings {
  const raw = stored ?? {};
  const number = (key: keyof AuthSettings, fallback: number) => (typeof raw[key] === 'number' ? (raw[key] as number) : fallback);
  const methods = { ...DEFAULT_AUTH_SETTINGS.methods, ...((raw.methods as Record<string, boolean> | undefined) ?? {}) };
  return {
    limit: number('limit', DEFAULT_AUTH_SETTINGS.limit),
    duration: number('duration', DEFAULT_AUTH_SETTINGS.duration),
    maxSessions: number('maxSessions', DEFAULT_AUTH_SETTINGS.maxSessions),
    passwordHistory: number('passwordHistory', DEFAULT_AUTH_SETTINGS.passwordHistory),
    passwordDictionary: raw.passwordDictionary === true,
    methods,
  };
}

/**
 * The console project: not a row, but configuration (as in Appwrite). Its platforms always include
 * localhost, and the root whitelist limits it to one user when `_APP_CONSOLE_WHITELIST_ROOT` is on.
 */
export function consoleProject(rootWhitelist: boolean, domain: string): ProjectContext {
  const hostnames = [...new Set(['localhost', domain].filter(Boolean))];
  return {
    id: CONSOLE_PROJECT_ID,
    internalId: null,
    name: 'Appconda',
    teamId: null,
    auths: { ...DEFAULT_AUTH_SETTINGS, limit: rootWhitelist ? 1 : 0 },
    services: {},
    authProviders: {},
    platforms: hostnames.map((hostname) => ({ type: 'web', hostname, key: null })),
    entity: null,
  };
}
