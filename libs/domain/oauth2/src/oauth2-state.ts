import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a login may take between leaving for the provider and coming back. */
export const STATE_TTL_SECONDS = 3600;

/** What travels through the provider in the `state` parameter. */
export interface OAuth2State {
  /** Where the browser goes after a successful login. */
  success: string;
  /** Where the browser goes after a failed one ('' = answer the error). */
  failure: string;
  project: string;
  provider: string;
  /** Random per login; also seeds the PKCE verifier. */
  nonce: string;
  /** Expiry, unix seconds. */
  exp: number;
}

/**
 * Appwrite 1.3 sends `{success, failure}` as plain JSON, so anyone could hand the redirect route a
 * state of their own. Here the state is `<base64url JSON>.<HMAC-SHA256>` keyed with
 * `_APP_OPENSSL_KEY_V1`: the redirect route only trusts URLs the start route validated.
 */
export class OAuth2StateSigner {
  private readonly key: Buffer;

  constructor(opensslKey: string) {
    if (!opensslKey) throw new Error('_APP_OPENSSL_KEY_V1 is empty: OAuth2 states cannot be signed');
    this.key = createHmac('sha256', opensslKey).update('appconda:oauth2-state').digest();
  }

  create(input: Omit<OAuth2State, 'nonce' | 'exp'>, now = Date.now()): OAuth2State {
    return { ...input, nonce: randomBytes(16).toString('base64url'), exp: Math.floor(now / 1000) + STATE_TTL_SECONDS };
  }

  sign(state: OAuth2State): string {
    const payload = Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The state when its signature holds and it has not expired; undefined otherwise. */
  verify(token: string, now = Date.now()): OAuth2State | undefined {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const state = decodeStatePayload(payload);
    if (!state || state.exp * 1000 < now) return undefined;
    return state;
  }

  /** The PKCE verifier of a login: derived from its nonce, never sent through the browser. */
  codeVerifier(state: OAuth2State): string {
    return createHmac('sha256', this.key).update(`pkce:${state.nonce}`).digest('base64url');
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** The S256 PKCE challenge of a verifier. */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Reads a state's payload WITHOUT trusting it (to find where to report a bad state). */
export function readUnverifiedState(token: string): Partial<OAuth2State> | undefined {
  return decodeStatePayload(token.split('.')[0] ?? '');
}

function decodeStatePayload(payload: string): OAuth2State | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    const state = parsed as OAuth2State;
    if (typeof state.success !== 'string' || typeof state.failure !== 'string' || typeof state.exp !== 'number') return undefined;
    return state;
  } catch {
    return undefined;
  }
}
