import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppException, ErrorType } from '@appconda/core';

/**
 * Account JWTs (`POST /v1/account/jwt`, header `X-Appwrite-JWT`): HS256 keyed by `_APP_OPENSSL_KEY_V1`,
 * 900 s lifetime, payload `{userId, sessionId}` plus `iat`/`exp`, like Appwrite 1.3 (adhocore/jwt).
 *
 * Written with node:crypto instead of `jose`: jose 6 is ESM-only and this workspace compiles to
 * CommonJS, and HS256 compact tokens are a few lines.
 */
export const JWT_TTL_SECONDS = 900;

/** Clock skew tolerated on `exp`/`iat` (adhocore/jwt's leeway as Appwrite configures it). */
export const JWT_LEEWAY_SECONDS = 10;

export interface JwtClaims {
  userId: string;
  sessionId: string;
}

export interface JwtPayload extends JwtClaims {
  iat: number;
  exp: number;
}

const HEADER = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

function signature(data: string, key: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Signs a JWT for a user session; `now` in ms (tests). */
export function signJwt(claims: JwtClaims, key: string, ttl = JWT_TTL_SECONDS, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const payload: JwtPayload = { userId: claims.userId, sessionId: claims.sessionId, iat, exp: iat + ttl };
  const data = `${HEADER}.${base64url(JSON.stringify(payload))}`;
  return `${data}.${signature(data, key).toString('base64url')}`;
}

function invalid(reason: string): AppException {
  return new AppException(ErrorType.UserJwtInvalid, `Failed to verify JWT. ${reason}`);
}

function parsePart(part: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

/**
 * Verifies a token and returns its payload. Malformed, wrongly signed, non-HS256 or expired tokens
 * throw 401 `user_jwt_invalid`. Whether the session still exists is the caller's check (a vanished
 * session makes the request a guest one, not an error).
 */
export function verifyJwt(token: unknown, key: string, now = Date.now()): JwtPayload {
  if (typeof token !== 'string' || token.length > 8192) throw invalid('Token is malformed.');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) throw invalid('Token is malformed.');
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = parsePart(parts[0]);
    payload = parsePart(parts[1]);
  } catch {
    throw invalid('Token is malformed.');
  }
  if (header.alg !== 'HS256') throw invalid('Unsupported algorithm.');
  const expected = signature(`${parts[0]}.${parts[1]}`, key);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('Invalid signature.');
  const seconds = Math.floor(now / 1000);
  if (typeof payload.exp !== 'number' || payload.exp + JWT_LEEWAY_SECONDS <= seconds) throw invalid('Token has expired.');
  if (typeof payload.iat === 'number' && payload.iat - JWT_LEEWAY_SECONDS > seconds) throw invalid('Token is not valid yet.');
  if (typeof payload.userId !== 'string' || !payload.userId) throw invalid('Token has no user.');
  return {
    userId: payload.userId,
    sessionId: typeof payload.sessionId === 'string' ? payload.sessionId : '',
    iat: typeof payload.iat === 'number' ? payload.iat : 0,
    exp: payload.exp,
  };
}
