import { Module } from '@nestjs/common';

import { OAuth2Controller } from './oauth2.controller';
import { OAuth2Module } from './oauth2.module';

/** The OAuth2 routes of the Account service: `/v1/account/sessions/oauth2/*`. */
@Module({ imports: [OAuth2Module], controllers: [OAuth2Controller] })
export class OAuth2ApiModule {}
