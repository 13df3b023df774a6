import { ErrorType } from '@appconda/contracts';
import { AppException, RequestContext } from '@appconda/core';
import { SessionEntity, UserEntity } from '@appconda/database';
import { CONSOLE_PROJECT_ID, Identity, identityOf } from '@appconda/identity';
import { consolePlatforms } from '@appconda/auth';

import { clientHostnames } from './client-origin';
import { WebExchange } from './web-exchange';

/** Auth method keys of project `auths.methods` (auth.json `key`), checked on the routes that use them. */
export enum AuthMethod {
  Anonymous = 'anonymous',
  EmailPassword = 'emailPassword',
  Jwt = 'JWT',
  MagicUrl = 'usersAuthMagicURL',
  Phone = 'phone',
}

/** The signed-in user of an account route (the guard has already required a session or JWT). */
export function currentUser(ctx: RequestContext): { identity: Identity; user: UserEntity; session?: SessionEntity } {
  const identity = identityOf(ctx);
  if (!identity.user) throw new AppException(ErrorType.UserUnauthorized);
  return { identity, user: identity.user, session: identity.session };
}

/**
 * Appwrite 1.3 refuses a disabled auth method with 501 user_auth_method_unsupported, except on the
 * console project and for console admins acting on a project.
 */
export function assertAuthMethod(ctx: RequestContext, method: AuthMethod): void {
  const identity = identityOf(ctx);
  if (identity.project.id === CONSOLE_PROJECT_ID || identity.mode === 'admin') return;
  if (identity.project.auths.methods[method] === false) throw new AppException(ErrorType.UserAuthMethodUnsupported);
}

/** Hostnames redirect URLs and origins may use for this request's project (console platforms first). */
export function projectClients(ctx: RequestContext, web: WebExchange): string[] {
  const identity = identityOf(ctx);
  return clientHostnames(consolePlatforms(web.hostname), identity.project.platforms);
}

/** API keys and console admins see token secrets in responses; clients get an empty string (Appwrite 1.3). */
export function seesSecrets(ctx: RequestContext): boolean {
  const identity = identityOf(ctx);
  return Boolean(identity.key) || identity.mode === 'admin' || ['owner', 'developer', 'admin', 'apps'].includes(ctx.role);
}

/** The project the user's own rows (sessions, tokens) live in: console users' data stays in the console. */
export function userProject(user: UserEntity): string {
  return user.project;
}
