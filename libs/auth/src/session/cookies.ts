import { isIP } from 'node:net';

/** `a_session_<projectId>`: the cookie holding an encoded session. */
export function sessionCookieName(projectId: string): string {
  return `a_session_${projectId}`;
}

/** The twin without SameSite, for browsers that reject `SameSite=None`. */
export function legacySessionCookieName(projectId: string): string {
  return `${sessionCookieName(projectId)}_legacy`;
}

export interface SessionCookieOptions {
  /** When the session ends (now + the project's session duration). */
  expires: Date;
  /** Only when the request came over https. */
  secure: boolean;
  /** Request hostname (no port). */
  hostname: string;
}

/**
 * Appwrite 1.3's cookie domain: `.<hostname>`, except for `localhost` and IP literals, where
 * browsers refuse a Domain attribute and the cookie stays host-only.
 */
export function cookieDomain(hostname: string): string | undefined {
  const host = stripPort(hostname.trim().toLowerCase());
  if (!host || host === 'localhost' || isIP(host.replace(/^\[|\]$/g, ''))) return undefined;
  return `.${host}`;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colons = host.split(':').length - 1;
  return colons === 1 ? host.slice(0, host.indexOf(':')) : host;
}

function cookie(name: string, value: string, options: SessionCookieOptions, sameSiteNone: boolean): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Expires=${options.expires.toUTCString()}`, 'Path=/'];
  const domain = cookieDomain(options.hostname);
  if (domain) parts.push(`Domain=${domain}`);
  if (options.secure) parts.push('Secure');
  parts.push('HttpOnly');
  if (sameSiteNone) parts.push('SameSite=None');
  return parts.join('; ');
}

/**
 * The two `Set-Cookie` values a session-creating route sends: `[a_session_<p> (SameSite=None),
 * a_session_<p>_legacy (no SameSite)]`. The value is URL-encoded as PHP/Swoole do; cookie parsers decode it.
 */
export function sessionCookies(projectId: string, value: string, options: SessionCookieOptions): [string, string] {
  return [cookie(sessionCookieName(projectId), value, options, true), cookie(legacySessionCookieName(projectId), value, options, false)];
}

/** Logout: both cookies emptied and dated one hour in the past (Appwrite 1.3). */
export function expiredSessionCookies(projectId: string, hostname: string, secure = false, now = Date.now()): [string, string] {
  return sessionCookies(projectId, '', { expires: new Date(now - 3600 * 1000), hostname, secure });
}

/** Header the web SDK keeps in localStorage when third-party cookies are blocked. */
export const FALLBACK_COOKIES_HEADER = 'X-Fallback-Cookies';

/** `X-Fallback-Cookies` value for a new session: `{"a_session_<projectId>":"<value>"}`. */
export function fallbackCookiesValue(projectId: string, value: string): string {
  return JSON.stringify({ [sessionCookieName(projectId)]: value });
}

/** `X-Fallback-Cookies` value sent when the current session is deleted. */
export const CLEARED_FALLBACK_COOKIES = '[]';

/**
 * Parses an `X-Fallback-Cookies` header: a JSON object of cookie name → value. Anything else
 * (missing, invalid JSON, an array, non-string values) gives an empty record; never throws.
 */
export function parseFallbackCookies(header: unknown): Record<string, string> {
  const raw = Array.isArray(header) ? header[0] : header;
  if (typeof raw !== 'string' || !raw || raw.length > 16384) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const cookies: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string') cookies[name] = value;
  }
  return cookies;
}

/**
 * The raw session value of a request, in Appwrite 1.3's order (PROTOCOL §3): cookie `a_session_<p>`,
 * then `a_session_<p>_legacy`, then the same name inside `X-Fallback-Cookies`. `cookies` are already decoded.
 */
export function pickSessionValue(projectId: string, cookies: Record<string, string | undefined> | undefined, fallbackHeader: unknown): string | undefined {
  const name = sessionCookieName(projectId);
  const fromCookie = cookies?.[name] || cookies?.[legacySessionCookieName(projectId)];
  if (fromCookie) return fromCookie;
  return parseFallbackCookies(fallbackHeader)[name] || undefined;
}

/** Parses a `Cookie` request header into decoded name → value pairs (first occurrence wins). */
export function parseCookieHeader(header: unknown): Record<string, string> {
  const raw = Array.isArray(header) ? header.join('; ') : header;
  const cookies: Record<string, string> = {};
  if (typeof raw !== 'string') return cookies;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}
