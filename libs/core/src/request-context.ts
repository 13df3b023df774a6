import { AuthType, RouteDeclaration } from './route';

/**
 * What the pipeline knows about the caller of one request. Built once by the identity resolver,
 * read by the guard (scopes), the permission checks (roles) and the repositories (projectId).
 */
export interface RequestContext {
  requestId: string;
  /** The resolved project ID; `console` for console calls. */
  projectId: string;
  /** How the caller authenticated. Guest when nobody did. */
  authType: AuthType;
  /** Appwrite role name (guests, users, apps, owner, admin, developer). */
  role: string;
  /** Scopes granted to that role (plus an API key's own scopes). */
  scopes: ReadonlySet<string>;
  /** Authorization roles for permission strings (any, users, user:ID, team:ID/ROLE …). */
  roles: ReadonlySet<string>;
  userId?: string;
  /** API keys and console admins skip document and file permission checks (Appwrite 1.3). */
  skipPermissions: boolean;
  ip: string;
  userAgent: string;
  locale?: string;
  /** Raw pieces later stages need (project, user and key records), keyed by the stage that set them. */
  extras: Record<string, unknown>;
}

/** Resolves the caller of a request. Provided by the auth lib; core ships a guest-only default. */
export interface IdentityResolver {
  resolve(request: RequestLike, requestId: string): Promise<RequestContext>;
}

export const IDENTITY_RESOLVER = Symbol('IDENTITY_RESOLVER');

/** The part of a Fastify/HTTP request the pipeline reads. */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
  ip?: string;
  method?: string;
  url?: string;
  /** Attached by the pipeline. */
  ctx?: RequestContext;
  /** The matched route's declaration, attached by RouteGuard for the steps after the handler. */
  declaration?: RouteDeclaration;
}

export function headerValue(request: RequestLike, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The project a request names (Appwrite 1.3): the `project` query param when it is a non-empty string,
 * else the `X-Appwrite-Project` header; undefined when neither is sent.
 */
export function requestedProjectId(request: Pick<RequestLike, 'headers' | 'query'>): string | undefined {
  const param = (request.query as Record<string, unknown> | undefined)?.project;
  if (typeof param === 'string' && param !== '') return param;
  return headerValue(request as RequestLike, 'x-appwrite-project');
}

/** A context for callers nobody identified: the `guests` role with its scopes. */
export function guestContext(request: RequestLike, requestId: string, projectId: string, scopes: Iterable<string>): RequestContext {
  return {
    requestId,
    projectId,
    authType: AuthType.Guest,
    role: 'guests',
    scopes: new Set(scopes),
    roles: new Set(['any', 'guests']),
    skipPermissions: false,
    ip: request.ip ?? '',
    userAgent: headerValue(request, 'user-agent') ?? '',
    extras: {},
  };
}
