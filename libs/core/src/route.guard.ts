import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorType } from '@appconda/contracts';
import { randomUUID } from 'node:crypto';

import { AppException } from './app.exception';
import { IDENTITY_RESOLVER, IdentityResolver, RequestContext, RequestLike, guestContext } from './request-context';
import { AuthType, ROUTE_DECLARATION, RouteDeclaration } from './route';

/** Applies a route's rate limit; provided by the auth lib (Redis counters). */
export interface AbuseLimiter {
  check(request: RequestLike, declaration: RouteDeclaration, reply: unknown): Promise<void>;
}

export const ABUSE_LIMITER = Symbol('ABUSE_LIMITER');

/**
 * The single place where a route's declaration is enforced: identity is resolved, the rate limit
 * applied and the scope checked before any handler runs. A handler without a declaration is refused.
 */
@Injectable()
export class RouteGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(IDENTITY_RESOLVER) private readonly identity?: IdentityResolver,
    @Optional() @Inject(ABUSE_LIMITER) private readonly limiter?: AbuseLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const declaration = this.reflector.get<RouteDeclaration | undefined>(ROUTE_DECLARATION, context.getHandler());
    if (!declaration) throw new AppException(ErrorType.GeneralServerError, 'Route has no access declaration.');
    const request = context.switchToHttp().getRequest<RequestLike>();
    const ctx = (request.ctx ??= await this.resolve(request));
    if (this.limiter && declaration.rateLimit) await this.limiter.check(request, declaration, context.switchToHttp().getResponse());
    assertAllowed(ctx, declaration);
    request.declaration = declaration;
    return true;
  }

  private resolve(request: RequestLike): Promise<RequestContext> {
    const requestId = randomUUID();
    if (this.identity) return this.identity.resolve(request, requestId);
    return Promise.resolve(guestContext(request, requestId, 'console', ['public']));
  }
}

/** Scope and auth-type check of Appwrite 1.3 (app/controllers/shared/api.php): 401 general_unauthorized_scope. */
export function assertAllowed(ctx: RequestContext, declaration: RouteDeclaration): void {
  const authType = ctx.authType === AuthType.Jwt ? AuthType.Session : ctx.authType;
  const accepted = declaration.auth.some((auth) => auth === authType || (auth === AuthType.Jwt && authType === AuthType.Session));
  const scoped = ctx.scopes.has(declaration.scope);
  if (scoped && (accepted || declaration.auth.includes(AuthType.Guest))) return;
  const who = ctx.userId ? `User ${ctx.userId}` : 'User';
  throw new AppException(ErrorType.GeneralUnauthorizedScope, `${who} (role: ${ctx.role}) missing scope (${declaration.scope})`);
}
