import { applyDecorators, HttpCode, SetMetadata } from '@nestjs/common';

/** Who may call a route (Appwrite's `sdk.auth` label plus the implicit session/guest access). */
export enum AuthType {
  /** Anyone, including guests without a session. */
  Guest = 'guest',
  /** A user session (cookie, fallback cookie) or a JWT acting as that user. */
  Session = 'session',
  Jwt = 'jwt',
  /** An API key (`X-Appwrite-Key`). */
  Key = 'key',
  /** A console user acting on a project (`X-Appwrite-Mode: admin`). */
  Admin = 'admin',
}

export interface RateLimitDeclaration {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in seconds; Appwrite's default is one hour. */
  window?: number;
  /** Key pattern(s) such as `url:{url},ip:{ip}`; placeholders: url, ip, userId, method, userAgent, param-<name>. */
  key?: string | string[];
}

export interface AuditDeclaration {
  /** Audit event label, e.g. `user.create`. */
  event: string;
  /** Resource template, e.g. `user/{response.$id}`. */
  resource: string;
}

/**
 * A usage counter a successful route increments by one (Appwrite 1.3's `usage.metric` and
 * `usage.params` labels). Label values are templates filled like audit resources:
 * `{request.databaseId}`, `{response.$id}`.
 */
export interface UsageDeclaration {
  /** Metric name, e.g. `documents.requests.create`. */
  metric: string;
  labels?: Record<string, string>;
}

/**
 * Everything the request pipeline needs to know about a route, declared once on the handler.
 * Nothing about access, limits, events or audits is decided inside handlers.
 */
export interface RouteDeclaration {
  /** Identities accepted; the scope check below still applies to each. */
  auth: AuthType[];
  /** The Appwrite scope the caller's role must hold (scopes.json / roles.json). */
  scope: string;
  rateLimit?: RateLimitDeclaration;
  /** Event templates emitted on success, e.g. `users.[userId].create`. */
  events?: string[];
  audit?: AuditDeclaration;
  usage?: UsageDeclaration;
  /** Status code of a successful answer (Appwrite's `sdk.response.code`). */
  status?: number;
}

export const ROUTE_DECLARATION = 'appconda:route';

/** Declares a route's auth, scope, rate limit, events, audit label, usage metric and success status. */
export function Route(declaration: RouteDeclaration): MethodDecorator {
  const decorators: MethodDecorator[] = [SetMetadata(ROUTE_DECLARATION, declaration)];
  if (declaration.status) decorators.push(HttpCode(declaration.status));
  return applyDecorators(...decorators);
}
