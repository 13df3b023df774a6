import { Module } from '@nestjs/common';

import { LocaleCatalog } from './locale.catalog';
import { LocaleService } from './locale.service';

/** Locale providers only, usable outside the API (e.g. workers naming countries in emails). */
@Module({ providers: [LocaleCatalog, LocaleService], exports: [LocaleService] })
export class LocaleModule {}
