import { RateLimitDeclaration } from '@appconda/core';

/** Appwrite 1.3's `abuse-key` default: per route template and client IP. */
export const DEFAULT_ABUSE_KEY = 'url:{url},ip:{ip}';

/** Appwrite 1.3's `abuse-time` default: one hour. */
export const DEFAULT_ABUSE_WINDOW = 3600;

/** The request facts a key pattern can use. */
export interface AbuseKeyValues {
  /** Hostname (no port) + route template, e.g. `localhost/v1/account/sessions/email`. */
  url: string;
  ip: string;
  userId: string;
  method: string;
  userAgent: string;
  /** Request params (path, body, query) by name, for `{param-<name>}`. */
  params: Record<string, unknown>;
}

/** PHP's `empty()`, which decides whether Appwrite sets a `{param-*}` placeholder. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '' || value === '0') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

function paramText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Fills a key pattern's placeholders. `{param-<name>}` takes the param's value (arrays/objects as
 * JSON, like Appwrite). Returns undefined when the pattern names a param that is empty or missing:
 * that key is then not counted. (Appwrite would leave the placeholder literal and so share one
 * counter among all such requests; skipping avoids throttling unrelated callers together.)
 */
export function buildAbuseKey(pattern: string, values: AbuseKeyValues): string | undefined {
  let missing = false;
  const key = pattern.replace(/\{([A-Za-z]+|param-[^}]+)\}/g, (placeholder, name: string) => {
    if (name.startsWith('param-')) {
      const value = values.params[name.slice('param-'.length)];
      if (isEmpty(value)) {
        missing = true;
        return placeholder;
      }
      return paramText(value);
    }
    switch (name) {
      case 'url':
        return values.url;
      case 'ip':
        return values.ip;
      case 'userId':
        return values.userId;
      case 'method':
        return values.method;
      case 'userAgent':
        return values.userAgent;
      default:
        return placeholder;
    }
  });
  return missing ? undefined : key;
}

/** The key patterns of a declaration (one or many; default `url:{url},ip:{ip}`). */
export function abuseKeyPatterns(limit: RateLimitDeclaration): string[] {
  const key = limit.key ?? DEFAULT_ABUSE_KEY;
  return Array.isArray(key) ? key : [key];
}

/** Start of the fixed window containing `nowSeconds` (utopia-php/abuse TimeLimit alignment). */
export function windowStart(nowSeconds: number, window: number): number {
  return Math.floor(nowSeconds / window) * window;
}
