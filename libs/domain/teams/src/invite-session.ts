import { encodeSession, FALLBACK_COOKIES_HEADER, fallbackCookiesValue, generateSecret, hashSecret, Permission, Role, sessionCookies } from '@appconda/auth';
import { generateId, RequestContext } from '@appconda/core';
import { SessionEntity, SessionRepository, UserEntity } from '@appconda/database';
import { identityOf } from '@appconda/identity';
import { detectDevice, UNKNOWN_COUNTRY_CODE } from '@appconda/users';

/** Where the session cookies of a response go, and what decides their Domain and Secure attributes. */
export interface CookieSink {
  /** Hostname the API was reached on, without port. */
  hostname: string;
  /** The request came over https. */
  secure: boolean;
  header(name: string, value: string): void;
}

interface HttpRequestLike {
  hostname?: string;
  protocol?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The hostname the API was reached on, without port. */
export function requestHostname(request: HttpRequestLike): string {
  const host = request.hostname ?? String(request.headers.host ?? '');
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

/** A CookieSink over a Fastify request/reply pair. */
export function cookieSink(request: HttpRequestLike, reply: { header(name: string, value: string): unknown }): CookieSink {
  return {
    hostname: requestHostname(request),
    secure: request.protocol === 'https',
    header: (name, value) => void reply.header(name, value),
  };
}

/**
 * Signs the invited user in after they accept an invitation, as 1.3's membership status route does:
 * an `email` session with the project's session length, both session cookies, and X-Fallback-Cookies
 * (what the web SDK keeps when the browser drops third-party cookies).
 *
 * The Account lib owns session creation for the login routes; this is the one place Teams does it,
 * kept small so the two can be merged into that lib's seam.
 */
export async function createInviteSession(sessions: SessionRepository, ctx: RequestContext, user: UserEntity, sink: CookieSink): Promise<SessionEntity> {
  const { project } = identityOf(ctx);
  const secret = generateSecret();
  const expire = new Date(Date.now() + project.auths.duration * 1000);
  const owner = Role.user(user.uid);
  const session = await sessions.create(user.project, {
    uid: generateId(),
    userInternalId: user.internalId,
    userId: user.uid,
    provider: 'email',
    providerUid: user.email ?? '',
    providerAccessToken: '',
    providerAccessTokenExpiry: null,
    providerRefreshToken: '',
    secret: hashSecret(secret),
    expire,
    userAgent: ctx.userAgent,
    ip: ctx.ip,
    countryCode: UNKNOWN_COUNTRY_CODE,
    ...detectDevice(ctx.userAgent),
    permissions: [Permission.read(owner), Permission.update(owner), Permission.delete(owner)],
  });
  const value = encodeSession({ id: user.uid, secret });
  for (const cookie of sessionCookies(ctx.projectId, value, { expires: expire, hostname: sink.hostname, secure: sink.secure })) sink.header('set-cookie', cookie);
  sink.header(FALLBACK_COOKIES_HEADER, fallbackCookiesValue(ctx.projectId, value));
  return session;
}
