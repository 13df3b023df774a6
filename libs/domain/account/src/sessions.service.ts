import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { ErrorType } from '@appconda/contracts';
import { AppException, generateId, RequestContext, setEventParam } from '@appconda/core';
import { Database, SessionEntity, SessionRepository, UserEntity, UserRepository } from '@appconda/database';
import { identityOf } from '@appconda/identity';
import {
  CLEARED_FALLBACK_COOKIES,
  encodeSession,
  expiredSessionCookies,
  FALLBACK_COOKIES_HEADER,
  fallbackCookiesValue,
  generateSecret,
  hashSecret,
  Permission,
  Role,
  sessionCookieName,
  sessionCookies,
  signJwt,
} from '@appconda/auth';
import { detectDevice, SessionModel, toSessionModel, UNKNOWN_COUNTRY_CODE } from '@appconda/users';

import { assertAuthMethod, AuthMethod, currentUser, projectClients } from './account.context';
import { isSameSite } from './client-origin';
import { WebExchange } from './web-exchange';

/** How a new session was earned; OAuth2 sessions also carry the provider's tokens. */
export interface SessionSource {
  /** `email`, `anonymous`, `magic-url`, `phone`, or an OAuth2 provider name. */
  provider: string;
  providerUid?: string;
  providerAccessToken?: string;
  providerAccessTokenExpiry?: Date | null;
  providerRefreshToken?: string;
  /**
   * User columns written in the same transaction as the session: the argon2 re-hash of an imported
   * password on its first email login (1.3), so a failed session insert leaves the old hash in place.
   */
  userChanges?: Pick<Partial<UserEntity>, 'password' | 'hash' | 'hashOptions'>;
}

/**
 * Refreshes an OAuth2 session's provider tokens (PATCH /v1/account/sessions/{id}). Provided by the
 * OAuth2 feature under OAUTH2_SESSION_REFRESHER; without it every refresh answers 501 like 1.3 does
 * for providers it has no adapter for.
 */
export interface OAuth2SessionRefresher {
  /** Whether `provider` is an OAuth2 provider this server can refresh. */
  supports(provider: string): boolean;
  /** New token fields for the session. */
  refresh(ctx: RequestContext, session: SessionEntity): Promise<Pick<SessionEntity, 'providerAccessToken' | 'providerRefreshToken' | 'providerAccessTokenExpiry'>>;
}

export const OAUTH2_SESSION_REFRESHER = Symbol('OAUTH2_SESSION_REFRESHER');

/** A new session with its cookie, for callers that must hand the cookie over themselves. */
export interface StartedSession {
  session: SessionModel;
  /** `a_session_<projectId>`. */
  cookieName: string;
  /** The encoded session (base64 `{id, secret}`), as set in the cookies. */
  cookieValue: string;
  expire: Date;
}

export interface JwtModel {
  jwt: string;
}

/**
 * Sessions of the signed-in user: creation with cookies (the one seam every login path uses, OAuth2
 * included), listing, lookup with the `current` alias, refresh, logout, and JWTs.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly config: AppConfig,
    private readonly db: Database,
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    @Optional() @Inject(OAUTH2_SESSION_REFRESHER) private readonly refresher?: OAuth2SessionRefresher,
  ) {}

  /**
   * Creates a session for `user` in the request's project and answers like Appwrite 1.3's session
   * routes: both session cookies (and X-Fallback-Cookies for cross-site callers), the oldest sessions
   * beyond `auths.maxSessions` removed, and the session model with `current: true`.
   */
  async createSession(ctx: RequestContext, web: WebExchange, user: UserEntity, source: SessionSource): Promise<SessionModel> {
    return (await this.startSession(ctx, web, user, source)).session;
  }

  /**
   * `createSession` plus what the OAuth2 redirect needs for non-web clients: the encoded cookie value
   * (1.3's success URL carries it as `secret`, with the cookie name as `key`) and the expiry.
   */
  async startSession(ctx: RequestContext, web: WebExchange, user: UserEntity, source: SessionSource): Promise<StartedSession> {
    const { project } = identityOf(ctx);
    const secret = generateSecret();
    const expire = new Date(Date.now() + project.auths.duration * 1000);
    const owner = Role.user(user.uid);
    const row = {
      uid: generateId(),
      userInternalId: user.internalId,
      userId: user.uid,
      provider: source.provider,
      providerUid: source.providerUid ?? '',
      providerAccessToken: source.providerAccessToken ?? '',
      providerAccessTokenExpiry: source.providerAccessTokenExpiry ?? null,
      providerRefreshToken: source.providerRefreshToken ?? '',
      secret: hashSecret(secret),
      expire,
      userAgent: ctx.userAgent,
      ip: ctx.ip,
      countryCode: UNKNOWN_COUNTRY_CODE,
      ...detectDevice(ctx.userAgent),
      permissions: [Permission.read(owner), Permission.update(owner), Permission.delete(owner)],
    };
    const { userChanges } = source;
    const session = userChanges
      ? await this.db.transaction(async (manager) => {
          await this.users.with(manager).update(user.project, user.uid, userChanges);
          return this.sessions.with(manager).create(user.project, row);
        })
      : await this.sessions.create(user.project, row);
    await this.enforceLimit(user, project.auths.maxSessions);
    setEventParam(ctx, 'userId', user.uid);
    setEventParam(ctx, 'sessionId', session.uid);
    const cookieValue = encodeSession({ id: user.uid, secret });
    this.setCookies(ctx, web, cookieValue, expire);
    return { session: toSessionModel(session, session.uid), cookieName: sessionCookieName(ctx.projectId), cookieValue, expire };
  }

  /** Sets both session cookies, plus X-Fallback-Cookies when the browser would not send them back. */
  setCookies(ctx: RequestContext, web: WebExchange, value: string, expires: Date): void {
    for (const cookie of sessionCookies(ctx.projectId, value, { expires, hostname: web.hostname, secure: web.secure })) web.header('set-cookie', cookie);
    if (!isSameSite(web.hostname, web.origin, projectClients(ctx, web))) web.header(FALLBACK_COOKIES_HEADER, fallbackCookiesValue(ctx.projectId, value));
  }

  /**
   * Expires both cookies; on logout cross-site callers also get `X-Fallback-Cookies: []` (1.3 does not
   * send it when the account blocks itself, so `fallback` is false there).
   */
  clearCookies(ctx: RequestContext, web: WebExchange, fallback = true): void {
    for (const cookie of expiredSessionCookies(ctx.projectId, web.hostname, web.secure)) web.header('set-cookie', cookie);
    if (fallback && !isSameSite(web.hostname, web.origin, projectClients(ctx, web))) web.header(FALLBACK_COOKIES_HEADER, CLEARED_FALLBACK_COOKIES);
  }

  async list(ctx: RequestContext): Promise<{ total: number; sessions: SessionModel[] }> {
    const { user, session: current } = currentUser(ctx);
    const sessions = await this.sessions.listByUser(user.project, user.internalId);
    return { total: sessions.length, sessions: sessions.map((session) => toSessionModel(session, current?.uid)) };
  }

  async get(ctx: RequestContext, sessionId: string): Promise<SessionModel> {
    const { session: current } = currentUser(ctx);
    return toSessionModel(await this.find(ctx, sessionId), current?.uid);
  }

  /** Refreshes an OAuth2 session's provider tokens; other providers answer 501 project_provider_unsupported. */
  async update(ctx: RequestContext, sessionId: string): Promise<SessionModel> {
    const { user, session: current } = currentUser(ctx);
    const session = await this.find(ctx, sessionId);
    if (!this.refresher?.supports(session.provider)) throw new AppException(ErrorType.ProjectProviderUnsupported);
    const tokens = await this.refresher.refresh(ctx, session);
    const updated = (await this.sessions.update(user.project, session.uid, tokens)) ?? session;
    setEventParam(ctx, 'sessionId', session.uid);
    return toSessionModel(updated, current?.uid);
  }

  /** Logout of one session; removing the current one also expires the cookies. */
  async delete(ctx: RequestContext, web: WebExchange, sessionId: string): Promise<void> {
    const { user, session: current } = currentUser(ctx);
    const session = await this.find(ctx, sessionId);
    await this.sessions.delete(user.project, session.uid);
    setEventParam(ctx, 'sessionId', session.uid);
    if (session.uid === current?.uid) this.clearCookies(ctx, web);
  }

  /** Logout everywhere: every session of the user goes and the cookies are expired. */
  async deleteAll(ctx: RequestContext, web: WebExchange): Promise<void> {
    const { user, session: current } = currentUser(ctx);
    const sessions = await this.sessions.listByUser(user.project, user.internalId);
    await this.sessions.deleteByUser(user.project, user.internalId);
    // 1.3 fills the event from the last session it removed.
    const last = sessions[sessions.length - 1];
    if (last) setEventParam(ctx, 'sessionId', last.uid);
    if (current) this.clearCookies(ctx, web);
  }

  /** A 15-minute JWT for the current session (`X-Appwrite-JWT`). */
  createJwt(ctx: RequestContext): JwtModel {
    assertAuthMethod(ctx, AuthMethod.Jwt);
    const { user, session } = currentUser(ctx);
    if (!session) throw new AppException(ErrorType.UserSessionNotFound);
    return { jwt: signJwt({ userId: user.uid, sessionId: session.uid }, this.config.get('opensslKey')) };
  }

  /** The user's session by id, or the request's own for `current`; 404 user_session_not_found otherwise. */
  private async find(ctx: RequestContext, sessionId: string): Promise<SessionEntity> {
    const { user, session: current } = currentUser(ctx);
    const id = sessionId === 'current' ? current?.uid : sessionId;
    const session = id ? await this.sessions.findOne(user.project, { uid: id, userInternalId: user.internalId }) : null;
    if (!session) throw new AppException(ErrorType.UserSessionNotFound);
    return session;
  }

  /** Keeps at most `limit` sessions per user, deleting the oldest (Appwrite's shutdown hook on session routes). */
  private async enforceLimit(user: UserEntity, limit: number): Promise<void> {
    if (!limit || limit <= 0) return;
    const sessions = await this.sessions.listByUser(user.project, user.internalId);
    const excess = sessions.length - limit;
    for (const session of sessions.slice(0, Math.max(0, excess))) await this.sessions.delete(user.project, session.uid);
  }
}
