import { Global, Module } from '@nestjs/common';
import { AccountModule, OAUTH2_SESSION_REFRESHER } from '@appconda/account';
import { AppConfig } from '@appconda/config';
import { UsersModule } from '@appconda/users';

import { AccountOAuth2Accounts } from './account-oauth2-accounts';
import { OAUTH2_ACCOUNTS } from './oauth2-accounts';
import { OAUTH2_PROVIDER_HTTP, OAuth2ClientFactory } from './oauth2-client.factory';
import { OAuth2RefreshService } from './oauth2-refresh.service';
import { OAuth2StateSigner } from './oauth2-state';
import { OAuth2Service } from './oauth2.service';
import { FetchProviderHttp } from './providers/oauth2.client';
import { OAuth2ProviderRegistry } from './providers/registry';

/**
 * OAuth2 providers (no routes). Global so the account lib's session refresh finds the refresher
 * under OAUTH2_SESSION_REFRESHER. Needs DatabaseModule and the identity pipeline in the app.
 */
@Global()
@Module({
  imports: [AccountModule, UsersModule],
  providers: [
    { provide: OAuth2ProviderRegistry, useValue: new OAuth2ProviderRegistry() },
    { provide: OAUTH2_PROVIDER_HTTP, useClass: FetchProviderHttp },
    { provide: OAuth2StateSigner, inject: [AppConfig], useFactory: (config: AppConfig) => new OAuth2StateSigner(config.get('opensslKey')) },
    { provide: OAUTH2_ACCOUNTS, useClass: AccountOAuth2Accounts },
    { provide: OAUTH2_SESSION_REFRESHER, useExisting: OAuth2RefreshService },
    OAuth2ClientFactory,
    OAuth2RefreshService,
    OAuth2Service,
  ],
  exports: [OAuth2ProviderRegistry, OAuth2RefreshService, OAuth2Service, OAUTH2_SESSION_REFRESHER],
})
export class OAuth2Module {}
