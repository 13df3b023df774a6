import { secretMatches } from './secrets';

/** Token kinds stored on a user (Appwrite 1.3 `Auth::TOKEN_TYPE_*`). */
export enum TokenType {
  Login = 1,
  Verification = 2,
  Recovery = 3,
  Invite = 4,
  MagicUrl = 5,
  Phone = 6,
}

/** Session lifetime when the project sets none (`auths.duration`, one year). */
export const DEFAULT_SESSION_DURATION = 31536000;

/** Lifetimes Appwrite 1.3 gives tokens, in seconds. */
export const TOKEN_EXPIRATION = Object.freeze({ confirm: 3600, recovery: 3600, magicUrl: 3600, phone: 900 });

/** The session fields the check reads. */
export interface StoredSession {
  $id: string;
  $createdAt: string | Date;
  /** sha256 hex of the secret (hashSecret). */
  secret: string;
  provider?: string;
}

/** The token fields the check reads. */
export interface StoredToken {
  $id: string;
  type: number;
  secret: string;
  expire: string | Date;
}

function time(value: string | Date): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? -Infinity : ms;
}

/**
 * The user's session matching a presented secret, if it is still alive: created less than
 * `duration` seconds ago (project `auths.duration`), as Appwrite 1.3 `Auth::sessionVerify` decides.
 */
export function findActiveSession<S extends StoredSession>(sessions: readonly S[], secret: string, duration = DEFAULT_SESSION_DURATION, now = Date.now()): S | undefined {
  if (!secret) return undefined;
  return sessions.find((session) => session.secret && secretMatches(secret, session.secret) && time(session.$createdAt) + duration * 1000 >= now);
}

/** The unexpired token of `type` matching a presented secret (`Auth::tokenVerify`); any type when `type` is undefined. */
export function findValidToken<T extends StoredToken>(tokens: readonly T[], type: TokenType | undefined, secret: string, now = Date.now()): T | undefined {
  if (!secret) return undefined;
  return tokens.find((token) => (type === undefined || token.type === type) && token.secret && secretMatches(secret, token.secret) && time(token.expire) >= now);
}
