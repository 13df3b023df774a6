import { isIP } from 'node:net';
import { ErrorType } from '@appconda/contracts';
import { AppException } from '@appconda/core';

/** A platform as the project context keeps it. */
export interface PlatformLike {
  type: string;
  hostname?: string | null;
}

/** Platform types whose hostname the web SDK runs on (Appwrite 1.3 `clients`: web and flutter-web). */
const WEB_PLATFORMS = new Set(['web', 'flutter-web']);

// Second-level labels under which registrations happen one level deeper (example.co.uk). A short
// list instead of the full public suffix list: enough to tell whether two hosts share a site.
const SECOND_LEVEL = new Set(['ac', 'co', 'com', 'edu', 'gov', 'net', 'org', 'ne', 'or']);

/**
 * The registrable domain of a hostname (`api.example.com` → `example.com`), or '' for IPs, single
 * labels such as `localhost`, and empty input, which Appwrite's Domain helper cannot register either.
 */
export function registrableDomain(hostname: string | undefined): string {
  const host = (hostname ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (!host || isIP(host.replace(/^\[|\]$/g, ''))) return '';
  const labels = host.split('.');
  if (labels.length < 2) return '';
  const tld = labels[labels.length - 1];
  const second = labels[labels.length - 2];
  const take = tld.length === 2 && SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.length < take ? '' : labels.slice(-take).join('.');
}

function hostOf(origin: string | undefined): string {
  if (!origin) return '';
  try {
    return new URL(origin).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** The web hostnames a project's clients may use: the console's, then the project's own (Appwrite's `clients`). */
export function clientHostnames(consolePlatforms: readonly PlatformLike[], projectPlatforms: readonly PlatformLike[]): string[] {
  const hosts = [...consolePlatforms, ...projectPlatforms].filter((p) => WEB_PLATFORMS.has(p.type) && p.hostname).map((p) => (p.hostname as string).toLowerCase());
  return [...new Set(hosts)];
}

/**
 * Appwrite 1.3 `domainVerification`: true when the caller's origin (only if it is a registered client
 * host, else `localhost`) is on the API host's registrable domain. When it is false, session routes
 * also answer with `X-Fallback-Cookies`, because the browser will not send the cookie back. A Node
 * client sends no Origin, so it counts as `localhost` and gets the header, which appwrite@11 stores.
 */
export function isSameSite(apiHostname: string, origin: string | undefined, clients: readonly string[]): boolean {
  const originHost = hostOf(origin);
  const reference = originHost && clients.includes(originHost) ? originHost : 'localhost';
  const own = registrableDomain(apiHostname);
  return own !== '' && own === registrableDomain(reference);
}

/**
 * Checks a redirect `url` param (verification, recovery, magic URL): a valid URL whose host is
 * a client host of the project, as Appwrite's Host validator does; 400 general_argument_invalid otherwise.
 */
export function assertRedirectUrl(url: string, clients: readonly string[], param = 'url'): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !parsed.hostname || !clients.includes(parsed.hostname.toLowerCase())) {
    throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid ${param}: URL host must be one of: ${clients.join(', ')}`);
  }
  return parsed;
}

/** The redirect URL with the token's params merged into its query (existing ones are kept, ours win). */
export function withQuery(url: URL, params: Record<string, string>): string {
  const copy = new URL(url.toString());
  for (const [name, value] of Object.entries(params)) copy.searchParams.set(name, value);
  return copy.toString();
}
