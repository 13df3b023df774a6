import { AppException, ErrorType } from '@appconda/core';

/**
 * Origin (CSRF) check and CORS headers of Appwrite 1.3 (PROTOCOL §2; app/controllers/general.php,
 * Network/Validator/Origin.php). Pure functions over a project's platforms; the HTTP hook that calls
 * them lives with the identity resolver.
 */

/** A registered platform: web platforms match on `hostname`, native apps on `key` (bundle/package id). */
export interface Platform {
  type: string;
  hostname?: string;
  key?: string;
}

export enum PlatformType {
  Android = 'android',
  AppleIos = 'apple-ios',
  AppleMacos = 'apple-macos',
  AppleTvos = 'apple-tvos',
  AppleWatchos = 'apple-watchos',
  FlutterAndroid = 'flutter-android',
  FlutterIos = 'flutter-ios',
  FlutterLinux = 'flutter-linux',
  FlutterMacos = 'flutter-macos',
  FlutterWeb = 'flutter-web',
  FlutterWindows = 'flutter-windows',
  Web = 'web',
}

const WEB_TYPES: ReadonlySet<string> = new Set([PlatformType.Web, PlatformType.FlutterWeb]);
const NATIVE_TYPES: ReadonlySet<string> = new Set(Object.values(PlatformType).filter((type) => !WEB_TYPES.has(type)));

/** Methods the origin check applies to. */
const CHECKED_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Headers a browser may send cross-origin (Appwrite 1.3's list). */
export const CORS_ALLOW_HEADERS = [
  'Origin',
  'Cookie',
  'Set-Cookie',
  'X-Requested-With',
  'Content-Type',
  'Access-Control-Allow-Origin',
  'Access-Control-Request-Headers',
  'Accept',
  'X-Appwrite-Project',
  'X-Appwrite-Key',
  'X-Appwrite-Locale',
  'X-Appwrite-Mode',
  'X-Appwrite-JWT',
  'X-Appwrite-Response-Format',
  'X-SDK-Version',
  'X-SDK-Name',
  'X-SDK-Language',
  'X-SDK-Platform',
  'X-SDK-GraphQL',
  'X-Appwrite-ID',
  'X-Appwrite-Timestamp',
  'Content-Range',
  'Range',
  'Cache-Control',
  'Expires',
  'Pragma',
].join(', ');

export const CORS_ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';
export const CORS_EXPOSE_HEADERS = 'X-Fallback-Cookies';

/**
 * The console project's platforms: `localhost` and the API's own hostname are always allowed
 * (Appwrite 1.3 seeds the console with "Localhost" and "Current Host" web platforms).
 */
export function consolePlatforms(apiHostname?: string): Platform[] {
  const platforms: Platform[] = [{ type: PlatformType.Web, hostname: 'localhost' }];
  const host = apiHostname?.trim().toLowerCase().replace(/:\d+$/, '');
  if (host && host !== 'localhost') platforms.push({ type: PlatformType.Web, hostname: host });
  return platforms;
}

/** The origin a request claims: `Origin`, else `Referer`; '' when neither is sent. */
export function requestOrigin(headers: Record<string, string | string[] | undefined>): string {
  const pick = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
  return pick(headers.origin) || pick(headers.referer) || '';
}

interface ParsedOrigin {
  scheme: string;
  host: string;
  port: string;
}

function parseOrigin(origin: string): ParsedOrigin {
  // Server SDK calls send no Origin: don't pay for URL's exception on every one of them.
  if (!origin || origin === 'null') return { scheme: '', host: '', port: '' };
  try {
    const url = new URL(origin);
    return { scheme: url.protocol.replace(/:$/, ''), host: url.hostname.toLowerCase(), port: url.port };
  } catch {
    return { scheme: '', host: '', port: '' };
  }
}

/** utopia Hostname rule: exact match, `*`, or `*.example.com` for exactly one more label. */
function hostnameMatches(host: string, allowed: string): boolean {
  const pattern = allowed.trim().toLowerCase();
  if (!pattern) return false;
  if (pattern === '*' || pattern === host) return true;
  if (!pattern.startsWith('*')) return false;
  const want = pattern.split('.');
  const have = host.split('.');
  return want.length === have.length && want.every((section, i) => section === '*' || section === have[i]);
}

function webHostnames(platforms: readonly Platform[]): string[] {
  return platforms.filter((p) => WEB_TYPES.has(p.type) && p.hostname).map((p) => p.hostname as string);
}

function nativeKeys(platforms: readonly Platform[]): string[] {
  return platforms.filter((p) => NATIVE_TYPES.has(p.type) && p.key).map((p) => p.key as string);
}

export interface OriginContext {
  /** The project's platforms (for the console project, pass []: consolePlatforms are always added). */
  platforms: readonly Platform[];
  /** Hostname the API was reached on (the console's "Current Host" platform). */
  apiHostname?: string;
}

/**
 * True when `origin` belongs to a platform of the project or the console. An origin without a host
 * (none sent, `null`, unparsable) passes: server SDKs and native apps often send none.
 */
export function isOriginAllowed(origin: string, context: OriginContext): boolean {
  const { host } = parseOrigin(origin);
  if (!host) return true;
  const platforms = [...context.platforms, ...consolePlatforms(context.apiHostname)];
  return [...webHostnames(platforms), ...nativeKeys(platforms)].some((allowed) => hostnameMatches(host, allowed));
}

const SCHEME_LABELS: Record<string, string> = {
  http: 'Web',
  https: 'Web',
  'appwrite-ios': 'iOS',
  'appwrite-macos': 'macOS',
  'appwrite-watchos': 'watchOS',
  'appwrite-tvos': 'tvOS',
  'appwrite-android': 'Android',
  'appwrite-windows': 'Windows',
  'appwrite-linux': 'Linux',
};

export interface OriginCheckInput extends OriginContext {
  method: string;
  /** `Origin` or, failing that, `Referer` (see requestOrigin). */
  origin: string;
  /** Whether `X-Appwrite-Key` was sent: server calls skip the check. */
  hasApiKey: boolean;
}

/**
 * The CSRF guard: POST/PUT/PATCH/DELETE without an API key must come from a registered platform,
 * otherwise 403 `general_unknown_origin` naming the client to register.
 */
export function assertOriginAllowed(input: OriginCheckInput): void {
  if (!CHECKED_METHODS.has(input.method.toUpperCase()) || input.hasApiKey) return;
  if (isOriginAllowed(input.origin, input)) return;
  throw new AppException(ErrorType.GeneralUnknownOrigin, unknownOriginMessage(input.origin));
}

/**
 * Why an origin is refused: Appwrite names the platform kind to register, or says it cannot be one
 * for unknown schemes (the REST check and the realtime handshake say the same).
 */
export function unknownOriginMessage(origin: string): string {
  const { scheme, host } = parseOrigin(origin);
  const platform = SCHEME_LABELS[scheme];
  return platform ? `Invalid Origin. Register your new client (${host}) as a new ${platform} platform on your project console dashboard` : 'Unsupported platform';
}

export interface CorsInput extends OriginContext {
  origin: string;
  /** `http` or `https`: the scheme of the API request, used when the origin carries none. */
  protocol: string;
}

/**
 * Headers sent on every API response. `Access-Control-Allow-Origin` echoes the caller's origin
 * (scheme, host, port) when its host is a web platform of the project or console, otherwise it
 * is `<scheme>://localhost`; never `*`, because the web SDK sends credentials.
 */
export function corsHeaders(input: CorsInput): Record<string, string> {
  const { scheme, host, port } = parseOrigin(input.origin);
  const platforms = [...input.platforms, ...consolePlatforms(input.apiHostname)];
  const known = !!host && webHostnames(platforms).some((allowed) => hostnameMatches(host, allowed));
  const allowOrigin = `${scheme || input.protocol}://${known ? host : 'localhost'}${port ? `:${port}` : ''}`;
  return {
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS,
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Allow-Credentials': 'true',
  };
}

/** `OPTIONS` preflight on any path: 204 with the CORS headers and the request origin echoed as sent. */
export function preflightHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS,
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
  };
}
