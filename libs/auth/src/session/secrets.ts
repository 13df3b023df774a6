import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random bytes in a session/token secret (Appwrite 1.3 `Auth::tokenGenerator()` default), hex encoded: 256 chars. */
export const SECRET_BYTES = 128;

/** A fresh secret for a session, token (verification, recovery, magic URL, invite) or phone code. */
export function generateSecret(bytes = SECRET_BYTES): string {
  return randomBytes(bytes).toString('hex');
}

/** What is stored instead of a secret (Appwrite `Auth::hash`: sha256 hex). Secrets themselves are never persisted. */
export function hashSecret(secret: string): string {
  // One-shot crypto.hash (Node >= 20.12): a third of createHash().update().digest()'s cost, on every keyed request.
  return hash('sha256', secret, 'hex');
}

/** Constant-time check of a presented secret against a stored `hashSecret()` value. */
export function secretMatches(secret: string, storedHash: string): boolean {
  if (typeof secret !== 'string' || typeof storedHash !== 'string') return false;
  const a = Buffer.from(hashSecret(secret));
  const b = Buffer.from(storedHash.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The decoded content of a session cookie. `id` is the USER id (Appwrite quirk), not the session id. */
export interface SessionCredentials {
  id: string;
  secret: string;
}

/** The session cookie value: base64 of `{"id":"<userId>","secret":"<secret>"}` (PROTOCOL §4). */
export function encodeSession({ id, secret }: SessionCredentials): string {
  return Buffer.from(JSON.stringify({ id, secret }), 'utf8').toString('base64');
}

/**
 * Reads a session cookie value; anything that is not base64 JSON with string `id` and `secret`
 * (empty, truncated, tampered) yields undefined, so the caller simply has no session.
 */
export function decodeSession(value: unknown): SessionCredentials | undefined {
  if (typeof value !== 'string' || !value || value.length > 4096) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { id, secret } = parsed as Record<string, unknown>;
    if (typeof id !== 'string' || typeof secret !== 'string' || !id || !secret) return undefined;
    return { id, secret };
  } catch {
    return undefined;
  }
}
