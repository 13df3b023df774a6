/**
 * The shape of an OAuth2 provider for the generic adapter: where to send the browser, how to trade
 * a code for tokens, and how to read the signed-in user. One declarative entry per provider; only
 * providers with a genuinely different flow (Apple's signed client secret, Etsy's PKCE) add hooks.
 */

/** Endpoint URLs; `{name}` placeholders are filled from the provider's credentials (tenant domains…). */
export interface ProviderEndpoints {
  authorize: string;
  token: string;
  user: string;
  /** Extra resources some providers need (GitHub's e-mail list, LinkedIn's e-mail address…). */
  [extra: string]: string;
}

/**
 * How the client authenticates at the token endpoint:
 * - `body`: client_id/client_secret in a form POST body;
 * - `basic`: HTTP Basic with id:secret, the rest in a form POST body;
 * - `basic-json`: HTTP Basic, JSON body (Notion);
 * - `query`: GET with every parameter in the query string (Facebook, Slack).
 */
export type TokenAuthStyle = 'body' | 'basic' | 'basic-json' | 'query';

/** Tokens returned by a provider. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires; 0 when the provider did not say. */
  expiresIn: number;
  /** The whole token response (some providers put the user in it). */
  raw: Record<string, unknown>;
}

/** The user as the provider describes them. */
export interface OAuth2User {
  id: string;
  email: string;
  name: string;
  verified: boolean;
}

/** App credentials of one provider in one project, with the extra fields some secrets carry as JSON. */
export interface ProviderCredentials {
  appId: string;
  /** The client secret sent to the provider. */
  secret: string;
  /** Fields of a JSON secret other than the client secret (auth0Domain, tenantID, p8 …) with defaults. */
  params: Record<string, string>;
}

/** A minimal HTTP client for the provider's APIs (tests and hooks share it). */
export interface ProviderHttp {
  /** Sends a request and resolves the parsed body (JSON, or form-encoded as a record); rejects on non-2xx. */
  request(url: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown }): Promise<Record<string, unknown>>;
}

export interface OAuth2ProviderDefinition {
  /** The 1.3 provider id (`github`, `paypalSandbox` …). */
  name: string;
  endpoints: ProviderEndpoints;
  /** Scopes always requested; the caller's `scopes[]` are added. */
  scopes: string[];
  /** How scopes are joined in the authorize URL (space unless the provider wants commas). */
  scopeSeparator?: string;
  /** Extra authorize URL parameters (`response_type=code` is added unless `responseType` is false). */
  authorizeParams?: Record<string, string>;
  /** Set to false for providers whose authorize URL must not carry `response_type` (Slack v1, Bitly). */
  responseType?: false;
  tokenAuth: TokenAuthStyle;
  /** Extra token request parameters. */
  tokenParams?: Record<string, string>;
  /** How the access token is presented to the user endpoint: `Bearer`, GitHub's `token`, Yandex's `OAuth`, or `?access_token=`. */
  userAuth?: 'bearer' | 'token' | 'oauth' | 'query';
  /** Query parameter carrying the token with `userAuth: 'query'` (default `access_token`). */
  userTokenParam?: string;
  /** HTTP method of the user endpoint (Dropbox wants POST). */
  userMethod?: 'GET' | 'POST';
  /** Extra headers for resource calls (Twitch's Client-Id, Notion-Version …). */
  userHeaders?: (credentials: ProviderCredentials) => Record<string, string>;
  /** Fields of a JSON secret and their defaults; `clientSecret` holds the client secret itself. */
  secretFields?: Record<string, string>;
  /** Send a PKCE challenge (S256) and verifier. */
  pkce?: boolean;
  /** Client secret computed from the credentials (Apple signs a JWT with its p8 key). */
  clientSecret?: (credentials: ProviderCredentials) => string;
  /** Reads the access token from an unusual token response (Yammer nests it). */
  readTokens?: (raw: Record<string, unknown>) => Partial<TokenSet>;
  /**
   * Loads the raw profile when one GET of `endpoints.user` is not enough. Receives a `get(endpoint,
   * suffix?)` that calls a named endpoint (plus an encoded path suffix) with the access token as this
   * provider expects.
   */
  loadProfile?: (get: (endpoint: string, suffix?: string) => Promise<Record<string, unknown>>, tokens: TokenSet, credentials: ProviderCredentials) => Promise<Record<string, unknown>>;
  /** Maps the raw profile to the user. */
  mapUser: (profile: Record<string, unknown>, tokens: TokenSet) => OAuth2User;
}

/** `a.b.c` lookup in a parsed JSON document; arrays are indexed by number. */
export function pick(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The first non-empty string (numbers become strings) among the paths. */
export function text(source: unknown, ...paths: string[]): string {
  for (const path of paths) {
    const value = pick(source, path);
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  }
  return '';
}

/** True for `true`, `"true"`, `1`, `"1"`. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

/** Maps the common OpenID Connect userinfo claims. */
export function oidcUser(profile: Record<string, unknown>): OAuth2User {
  return { id: text(profile, 'sub'), email: text(profile, 'email'), name: text(profile, 'name', 'preferred_username', 'nickname'), verified: truthy(profile.email_verified) };
}

/** Fills `{name}` placeholders of an endpoint from credential params. */
export function fillEndpoint(template: string, params: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z0-9]+)\}/g, (_all, name: string) => params[name] ?? '');
}
