import { Inject, Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException } from '@appconda/core';

import { OAuth2Client } from './providers/oauth2.client';
import { ProviderHttp } from './providers/provider';
import { OAUTH2_PROVIDER_NAMES, OAuth2ProviderRegistry, providerCredentials, storedProviderSettings } from './providers/registry';

/** The HTTP client used to reach providers (tests may replace it). */
export const OAUTH2_PROVIDER_HTTP = Symbol('OAUTH2_PROVIDER_HTTP');

/** Builds the client of a provider as configured in a project. */
@Injectable()
export class OAuth2ClientFactory {
  constructor(
    @Inject(OAUTH2_PROVIDER_HTTP) private readonly http: ProviderHttp,
    readonly registry: OAuth2ProviderRegistry,
  ) {}

  /**
   * The provider's client for the project: 400 for a provider 1.3 does not know, 412
   * project_provider_disabled when the project has not enabled it or lacks its app id or secret.
   */
  forProject(project: { authProviders: Record<string, unknown> | null }, provider: string, redirectUri: string): OAuth2Client {
    const definition = this.registry.get(provider);
    if (!definition) throw unknownProvider();
    const settings = storedProviderSettings(project.authProviders, provider);
    if (!settings.enabled || !settings.appId || !settings.secret) {
      throw new AppException(ErrorType.ProjectProviderDisabled, 'This provider is disabled. Enable it and set its app ID and secret in the project settings.');
    }
    return new OAuth2Client(definition, providerCredentials(definition, settings), redirectUri, this.http);
  }
}

/** 1.3 validates `provider` against its list before anything else (a WhiteList param). */
export function unknownProvider(): AppException {
  return new AppException(ErrorType.GeneralArgumentInvalid, `Invalid provider: Value must be one of (${OAUTH2_PROVIDER_NAMES.join(', ')})`);
}
