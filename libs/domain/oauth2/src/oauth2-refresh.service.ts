import { Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException, isAppException, RequestContext, serviceLogger } from '@appconda/core';
import { SessionEntity } from '@appconda/database';
import { identityOf } from '@appconda/identity';

import { OAuth2ClientFactory } from './oauth2-client.factory';

const logger = serviceLogger('api');

export type RefreshedTokens = Pick<SessionEntity, 'providerAccessToken' | 'providerRefreshToken' | 'providerAccessTokenExpiry'>;

/**
 * PATCH /v1/account/sessions/{sessionId} for OAuth2 sessions: trades the session's refresh token for
 * new provider tokens. The account lib calls it through its OAUTH2_SESSION_REFRESHER seam.
 */
@Injectable()
export class OAuth2RefreshService {
  constructor(private readonly clients: OAuth2ClientFactory) {}

  /** Whether sessions of `provider` can be refreshed (every OAuth2 provider; email, phone … cannot). */
  supports(provider: string): boolean {
    return this.clients.registry.has(provider);
  }

  async refresh(ctx: RequestContext, session: SessionEntity): Promise<RefreshedTokens> {
    const client = this.clients.forProject(identityOf(ctx).project, session.provider, '');
    try {
      const tokens = await client.refresh(session.providerRefreshToken);
      if (!tokens.accessToken) throw new Error('no access token in the refresh answer');
      return {
        providerAccessToken: tokens.accessToken,
        providerRefreshToken: tokens.refreshToken,
        providerAccessTokenExpiry: new Date(Date.now() + tokens.expiresIn * 1000),
      };
    } catch (error) {
      if (isAppException(error)) throw error;
      logger.warn({ provider: session.provider, reason: (error as Error).message }, 'oauth2 token refresh failed');
      throw new AppException(ErrorType.GeneralArgumentInvalid, 'The OAuth2 provider refused to refresh the session tokens.');
    }
  }
}
