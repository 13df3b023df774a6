import { RequestContext } from '@appconda/core';
import { UserEntity } from '@appconda/database';

import { OAuth2Web } from './oauth2-web';

/** The provider side of a new OAuth2 session. */
export interface OAuth2SessionSource {
  provider: string;
  providerUid: string;
  providerAccessToken: string;
  providerRefreshToken: string;
  providerAccessTokenExpiry: Date | null;
}

/**
 * What the OAuth2 flow needs from the account and users features, behind one small seam: creating
 * a user (with the project's user limit) and creating a session with its cookies.
 */
export interface OAuth2Accounts {
  /** A new user for a provider identity; throws AppException (user_count_exceeded, user_already_exists). */
  createUser(ctx: RequestContext, input: { email: string | null; name: string }): Promise<UserEntity>;
  /**
   * Creates the session, sets both session cookies (and X-Fallback-Cookies when needed); resolves its
   * `$id` and the encoded cookie value (the built-in success page hands it to non-web clients).
   */
  createSession(ctx: RequestContext, web: OAuth2Web, user: UserEntity, source: OAuth2SessionSource): Promise<{ $id: string; cookieValue: string }>;
}

export const OAUTH2_ACCOUNTS = Symbol('OAUTH2_ACCOUNTS');
