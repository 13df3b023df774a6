import { createPrivateKey, sign } from 'node:crypto';

import { ProviderCredentials, TokenSet } from './provider';

/** Apple accepts client secrets valid for at most six months; a short life is enough for one exchange. */
const CLIENT_SECRET_TTL_SECONDS = 600;

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * Sign in with Apple has no static client secret: it is an ES256 JWT signed with the developer's
 * p8 key (`iss` team id, `sub` the services id, `aud` appleid.apple.com). The project stores the
 * key as Appwrite does, in a JSON secret `{ keyID, teamID, p8 }`.
 * @see https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret
 */
export function appleClientSecret(credentials: ProviderCredentials, now = Math.floor(Date.now() / 1000)): string {
  const { keyID, teamID, p8 } = credentials.params;
  if (!keyID || !teamID || !p8) return '';
  const header = base64url(JSON.stringify({ alg: 'ES256', kid: keyID, typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iss: teamID, iat: now, exp: now + CLIENT_SECRET_TTL_SECONDS, aud: 'https://appleid.apple.com', sub: credentials.appId }));
  const input = `${header}.${payload}`;
  const key = createPrivateKey(p8.includes('BEGIN') ? p8 : `-----BEGIN PRIVATE KEY-----\n${p8}\n-----END PRIVATE KEY-----`);
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

/**
 * Apple has no user-info endpoint: the user is in the `id_token` of the token response. The token
 * came straight from Apple over TLS in answer to our own request, so its claims are read as is.
 */
export function appleProfile(tokens: TokenSet): Record<string, unknown> {
  const idToken = tokens.raw.id_token;
  if (typeof idToken !== 'string') return {};
  const [, payload] = idToken.split('.');
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
