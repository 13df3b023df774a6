import { Module } from '@nestjs/common';

import { LocaleController } from './locale.controller';
import { LocaleModule } from './locale.module';

/** The /v1/locale routes. */
@Module({ imports: [LocaleModule], controllers: [LocaleController] })
export class LocaleApiModule {}
