import { Controller, Get, Req, Res } from '@nestjs/common';
import { AuthType, RequestLike, Route } from '@appconda/core';
import type { FastifyReply } from 'fastify';

import { ContinentList, CountryList, CurrencyList, LanguageList, LocaleModel, PhoneList } from './locale.dto';
import { requestIp, requestedLocale } from './locale.request';
import { LocaleService } from './locale.service';

const READ = { auth: [AuthType.Guest, AuthType.Session, AuthType.Key, AuthType.Admin], scope: 'locale.read' };

/** Appwrite 1.3 lets clients cache GET /v1/locale for 45 days. */
const LOCALE_CACHE_SECONDS = 60 * 60 * 24 * 45;

@Controller('locale')
export class LocaleController {
  constructor(private readonly service: LocaleService) {}

  @Get()
  @Route(READ)
  get(@Req() request: RequestLike, @Res({ passthrough: true }) reply: FastifyReply): LocaleModel {
    reply.header('cache-control', `public, max-age=${LOCALE_CACHE_SECONDS}`).header('expires', new Date(Date.now() + LOCALE_CACHE_SECONDS * 1000).toUTCString());
    return this.service.getLocale(requestIp(request), requestedLocale(request));
  }

  @Get('countries')
  @Route(READ)
  listCountries(@Req() request: RequestLike): CountryList {
    return this.service.listCountries(requestedLocale(request));
  }

  @Get('countries/eu')
  @Route(READ)
  listCountriesEu(@Req() request: RequestLike): CountryList {
    return this.service.listCountriesEu(requestedLocale(request));
  }

  @Get('countries/phones')
  @Route(READ)
  listCountriesPhones(@Req() request: RequestLike): PhoneList {
    return this.service.listCountriesPhones(requestedLocale(request));
  }

  @Get('continents')
  @Route(READ)
  listContinents(@Req() request: RequestLike): ContinentList {
    return this.service.listContinents(requestedLocale(request));
  }

  @Get('currencies')
  @Route(READ)
  listCurrencies(): CurrencyList {
    return this.service.listCurrencies();
  }

  @Get('languages')
  @Route(READ)
  listLanguages(): LanguageList {
    return this.service.listLanguages();
  }
}
