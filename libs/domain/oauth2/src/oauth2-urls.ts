import { consolePlatforms } from '@appconda/auth';
import { ErrorDefinition } from '@appconda/contracts';

/** Appwrite's built-in pages used when a login names no success/failure URL. */
export const DEFAULT_SUCCESS_PATH = '/auth/oauth2/success';
export const DEFAULT_FAILURE_PATH = '/auth/oauth2/failure';

const WEB_PLATFORM_TYPES: ReadonlySet<string> = new Set(['web', 'flutter-web']);

/**
 * Hostnames success/failure URLs may point at (Appwrite 1.3's `clients`): the console's platforms
 * (localhost and the API's own hostname) and the project's web platforms.
 */
export function allowedRedirectHosts(platforms: readonly { type: string; hostname: string | null }[], apiHostname: string): Set<string> {
  const hosts = [...consolePlatforms(apiHostname), ...platforms.filter((p) => WEB_PLATFORM_TYPES.has(p.type))]
    .map((p) => (p.hostname ?? '').trim().toLowerCase())
    .filter(Boolean);
  return new Set(hosts);
}

/** True for an absolute URL whose hostname is one of `hosts` (utopia's Host validator: exact match). */
export function isAllowedRedirect(url: string, hosts: ReadonlySet<string>): boolean {
  try {
    const parsed = new URL(url);
    return Boolean(parsed.hostname) && hosts.has(parsed.hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

/** `url` with query parameters added (existing ones kept, same names replaced). */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) parsed.searchParams.set(name, value);
  return parsed.toString();
}

/** Appwrite 1.3's failure redirect: the failure URL with `error={"message","type","code"}` added. */
export function failureUrl(failure: string, error: ErrorDefinition, message?: string): string {
  return withQuery(failure, { error: JSON.stringify({ message: message ?? error.message, type: error.type, code: error.code }) });
}

/** True when `url` points at the built-in success page (non-web clients read the session from its query). */
export function isDefaultSuccessPage(url: string): boolean {
  try {
    return new URL(url).pathname === DEFAULT_SUCCESS_PATH;
  } catch {
    return false;
  }
}
