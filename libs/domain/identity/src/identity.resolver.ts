import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { ErrorType, Role as AppRole } from '@appconda/contracts';
import { AppException, AuthType, headerValue, IdentityResolver, RequestContext, RequestLike, requestedProjectId, serviceLogger } from '@appconda/core';
import { KeyEntity, KeyRepository, MembershipRepository, SessionEntity, SessionRepository, UserEntity, UserRepository } from '@appconda/database';
import {
  assertOriginAllowed,
  decodeSession,
  hashSecret,
  isPrivilegedRole,
  parseCookieHeader,
  pickSessionValue,
  requestOrigin,
  rolesForUser,
  scopesFor,
  verifyJwt,
} from '@appconda/auth';

import { Identity } from './identity';
import { ProjectContextService } from './project-context.service';
import { CONSOLE_PROJECT_ID, ProjectContext } from './project-settings';

const logger = serviceLogger('api');

/** How often a key's `accessedAt` is refreshed (Appwrite's APP_KEY_ACCCESS: one day). */
const KEY_ACCESS_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** `X-SDK-Name` values of Appwrite's server SDKs, the only ones recorded on a key. */
const SERVER_SDK_NAMES: ReadonlySet<string> = new Set(['Node.js', 'Deno', 'PHP', 'Python', 'Ruby', '.NET', 'Dart', 'Kotlin', 'Swift', 'Go', 'Command Line']);

interface Resolved {
  user?: UserEntity;
  session?: SessionEntity;
  viaJwt: boolean;
}

/**
 * Appwrite 1.3's identity resolution (PROTOCOL §3), in its order: project, session (cookie, legacy
 * cookie, X-Fallback-Cookies), JWT overriding the session, then an API key when no user was found;
 * role and scopes from the role (console team membership upgrades it), authorization roles from the
 * user and its confirmed memberships.
 */
@Injectable()
export class IdentityResolverService implements IdentityResolver {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: KeyRepository,
    private readonly memberships: MembershipRepository,
    private readonly projects: ProjectContextService,
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
  ) {}

  async resolve(request: RequestLike, requestId: string): Promise<RequestContext> {
    const ctx = await this.resolveCaller(request, requestId);
    assertServiceEnabled(request, ctx);
    return ctx;
  }

  private async resolveCaller(request: RequestLike, requestId: string): Promise<RequestContext> {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const projectId = requestedProjectId(request) ?? CONSOLE_PROJECT_ID;
    const mode = (stringParam(query.mode) ?? headerValue(request, 'x-appwrite-mode')) === 'admin' ? 'admin' : 'default';
    const project = await this.projects.get(projectId);
    // CSRF guard: browser writes must come from a registered platform (server calls carry a key).
    assertOriginAllowed({
      method: request.method ?? 'GET',
      origin: requestOrigin(request.headers),
      hasApiKey: Boolean(headerValue(request, 'x-appwrite-key')),
      apiHostname: (request as { hostname?: string }).hostname,
      platforms: project.platforms.map((p) => ({ type: p.type, hostname: p.hostname ?? undefined, key: p.key ?? undefined })),
    });
    // In admin mode the caller is a console user: their session lives in the console project.
    const userProject = mode === 'admin' ? CONSOLE_PROJECT_ID : projectId;
    const resolved = await this.resolveUser(request, userProject, project);
    const identity: Identity = { project, mode, user: resolved.user, session: resolved.session };

    const ctx: RequestContext = {
      requestId,
      projectId,
      authType: AuthType.Guest,
      role: AppRole.Guests,
      scopes: new Set(),
      roles: new Set(),
      skipPermissions: false,
      ip: request.ip ?? '',
      userAgent: headerValue(request, 'user-agent') ?? '',
      locale: stringParam(query.locale) ?? headerValue(request, 'x-appwrite-locale'),
      extras: { identity },
    };

    const consoleRoles = resolved.user ? await this.consoleTeamRoles(resolved.user, project) : undefined;
    const teamRole = consoleRoles?.find(isPrivilegedRole) as AppRole | undefined;
    // Only members of the project's console team act on it as admins (a member without owner, admin or
    // developer keeps the users role); anyone else's console session is ignored there and the request
    // goes on as a guest's (Appwrite 1.3, app/init.php resource `user`).
    const user = mode === 'admin' && !consoleRoles ? undefined : resolved.user;
    if (!user) {
      identity.user = undefined;
      identity.session = undefined;
    }
    if (user) {
      ctx.userId = user.uid;
      ctx.authType = resolved.viaJwt ? AuthType.Jwt : AuthType.Session;
      ctx.role = AppRole.Users;
      if (teamRole) ctx.role = teamRole;
      if (mode === 'admin') {
        ctx.authType = AuthType.Admin;
        ctx.skipPermissions = true;
        ctx.roles = new Set(rolesForUser({ $id: user.uid, emailVerification: user.emailVerification, phoneVerification: user.phoneVerification }));
      } else {
        ctx.roles = new Set(await this.userRoles(projectId, user));
      }
      ctx.scopes = scopesFor(ctx.role);
      if (user.status === false) throw new AppException(ErrorType.UserBlocked);
      return ctx;
    }

    const secret = headerValue(request, 'x-appwrite-key');
    if (secret && projectId !== CONSOLE_PROJECT_ID) {
      const key = await this.projects.findKey(projectId, hashSecret(secret));
      if (key) {
        if (key.expire && key.expire.getTime() < Date.now()) throw new AppException(ErrorType.ProjectKeyExpired);
        identity.key = key;
        this.recordKeyUse(projectId, key, headerValue(request, 'x-sdk-name'));
        ctx.authType = AuthType.Key;
        ctx.role = AppRole.Apps;
        ctx.scopes = scopesFor(AppRole.Apps, key.scopes);
        ctx.roles = new Set(rolesForUser(null));
        ctx.skipPermissions = true;
        return ctx;
      }
    }

    ctx.scopes = scopesFor(AppRole.Guests);
    ctx.roles = new Set(rolesForUser(null));
    return ctx;
  }

  /**
   * Appwrite 1.3 marks a key's `accessedAt` at most once a day and remembers which server SDKs used it
   * (`X-SDK-Name`, from the server SDKs' names only). Off the request's path: a failure is only logged.
   */
  private recordKeyUse(projectId: string, key: KeyEntity, sdkName: string | undefined): void {
    const now = Date.now();
    const accessedAt = !key.accessedAt || now - key.accessedAt.getTime() > KEY_ACCESS_INTERVAL_MS ? new Date(now) : undefined;
    const sdks = sdkName && SERVER_SDK_NAMES.has(sdkName) && !key.sdks.includes(sdkName) ? [...key.sdks, sdkName] : undefined;
    if (!accessedAt && !sdks) return;
    // The key object is shared by the short-lived key cache: update it so the next requests don't write again.
    if (accessedAt) key.accessedAt = accessedAt;
    if (sdks) key.sdks = sdks;
    this.keys.recordUse(projectId, key.uid, { accessedAt, sdks }).catch((err: unknown) => logger.warn({ err, keyId: key.uid }, 'could not record key use'));
  }

  private async resolveUser(request: RequestLike, userProject: string, project: ProjectContext): Promise<Resolved> {
    const cookies = parseCookieHeader(request.headers.cookie);
    const fallback = headerValue(request, 'x-fallback-cookies');
    const signedIn = await this.sessionUser(userProject, project, pickSessionValue(userProject, cookies, fallback));
    const user = signedIn?.user;
    const session = signedIn?.session;

    const jwt = headerValue(request, 'x-appwrite-jwt');
    if (jwt) {
      const claims = verifyJwt(jwt, this.config.get('opensslKey'));
      const candidate = await this.users.findByUid(userProject, claims.userId);
      const found = candidate ? await this.sessions.findByUid(userProject, claims.sessionId) : null;
      // A JWT whose session is gone makes the request a guest request (PROTOCOL §2).
      if (candidate && found && found.userInternalId === candidate.internalId) return { user: candidate, session: found, viaJwt: true };
      return { viaJwt: true };
    }
    return { user, session, viaJwt: false };
  }

  /**
   * The user an encoded session value (the cookie's, X-Fallback-Cookies' or a realtime `authentication`
   * message's) signs in, with that session, while the session is alive; undefined otherwise.
   */
  async sessionUser(userProject: string, project: ProjectContext, value: string | undefined): Promise<{ user: UserEntity; session: SessionEntity } | undefined> {
    const credentials = decodeSession(value);
    if (!credentials) return undefined;
    const user = await this.users.findByUid(userProject, credentials.id);
    if (!user) return undefined;
    const session = await this.sessions.findOne(userProject, { userInternalId: user.internalId, secret: hashSecret(credentials.secret) });
    return session && this.sessionAlive(session, project) ? { user, session } : undefined;
  }

  /**
   * Where a signed-in user stands now, for connections that outlive a request (realtime): the user
   * (undefined once deleted), their authorization roles and the ids of their sessions still alive.
   */
  async standing(project: ProjectContext, userId: string): Promise<{ user?: UserEntity; roles: string[]; sessionIds: Set<string> }> {
    const user = (await this.users.findByUid(project.id, userId)) ?? undefined;
    if (!user) return { roles: rolesForUser(null), sessionIds: new Set() };
    const [roles, sessions] = await Promise.all([this.userRoles(project.id, user), this.sessions.listByUser(project.id, user.internalId)]);
    return { user, roles, sessionIds: new Set(sessions.filter((session) => this.sessionAlive(session, project)).map((session) => session.uid)) };
  }

  private sessionAlive(session: SessionEntity, project: ProjectContext): boolean {
    const now = Date.now();
    if (session.expire && session.expire.getTime() < now) return false;
    return session.createdAt.getTime() + project.auths.duration * 1000 > now;
  }

  /** The user's roles in the console team owning the project, when a confirmed member of it. */
  private async consoleTeamRoles(user: UserEntity, project: ProjectContext): Promise<string[] | undefined> {
    if (!project.teamId || user.project !== CONSOLE_PROJECT_ID) return undefined;
    const membership = await this.memberships.findOne(CONSOLE_PROJECT_ID, { teamId: project.teamId, userInternalId: user.internalId, confirm: true });
    return membership?.roles;
  }

  /** A user's authorization roles in a project: user, verification, confirmed memberships (PROTOCOL §3). */
  async userRoles(projectId: string, user: UserEntity): Promise<string[]> {
    const memberships = await this.memberships.listByUser(projectId, user.internalId, { limit: 5000 });
    return rolesForUser(
      { $id: user.uid, emailVerification: user.emailVerification, phoneVerification: user.phoneVerification },
      memberships.map((m) => ({ $id: m.uid, teamId: m.teamId, roles: m.roles, confirm: m.confirm })),
    );
  }
}

/**
 * A service switched off in the project's settings answers 503 general_service_disabled, except to
 * API keys and console admins (Appwrite 1.3, app/controllers/shared/api.php). The service is the
 * route's first path segment (account, databases, storage, teams, users, functions, locale, avatars…).
 */
function assertServiceEnabled(request: RequestLike, ctx: RequestContext): void {
  if (ctx.projectId === CONSOLE_PROJECT_ID || ctx.authType === AuthType.Key || ctx.authType === AuthType.Admin) return;
  const services = (ctx.extras.identity as Identity).project.services;
  const template = (request as { routeOptions?: { url?: string } }).routeOptions?.url ?? request.url ?? '';
  const service = /^\/v1\/([^/?]+)/.exec(template)?.[1];
  if (service && services[service] === false) throw new AppException(ErrorType.GeneralServiceDisabled, `The ${service} service is disabled for this project.`);
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
