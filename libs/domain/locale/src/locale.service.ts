import { Inject, Injectable, Optional } from '@nestjs/common';

import { LocaleCatalog } from './locale.catalog';
import { ContinentList, CountryList, CurrencyList, GEO_LOOKUP, GeoLookup, LanguageList, LocaleModel, PhoneList } from './locale.dto';

/** What Appwrite 1.3 reports for a country or continent it cannot place. */
const UNKNOWN_CODE = '--';
const UNKNOWN_NAME = 'Unknown';

/** The Locale service: where the caller is, and the reference lists, named in the caller's language. */
@Injectable()
export class LocaleService {
  constructor(
    private readonly catalog: LocaleCatalog,
    @Optional() @Inject(GEO_LOOKUP) private readonly geo?: GeoLookup,
  ) {}

  /** GET /v1/locale: the caller's IP and, when a geo database places it, country, continent, EU membership and currency. */
  getLocale(ip: string, locale?: string): LocaleModel {
    const language = this.catalog.resolveLanguage(locale);
    const record = ip ? this.geo?.lookup(ip) : null;
    if (!record) {
      return { ip, countryCode: UNKNOWN_CODE, country: UNKNOWN_NAME, continentCode: UNKNOWN_CODE, continent: UNKNOWN_NAME, eu: false, currency: null };
    }
    const countryCode = record.countryCode.toUpperCase();
    const continentCode = (record.continentCode ?? this.catalog.continentOf(countryCode) ?? UNKNOWN_CODE).toUpperCase();
    return {
      ip,
      countryCode,
      country: this.catalog.countryName(countryCode, language) ?? UNKNOWN_NAME,
      continentCode,
      continent: this.catalog.continentName(continentCode, language) ?? UNKNOWN_NAME,
      eu: this.catalog.isEu(countryCode),
      currency: this.catalog.currencyOf(countryCode),
    };
  }

  listCountries(locale?: string): CountryList {
    const countries = this.catalog.countries(this.catalog.countryCodes(), this.catalog.resolveLanguage(locale));
    return { total: countries.length, countries };
  }

  listCountriesEu(locale?: string): CountryList {
    const countries = this.catalog.countries(this.catalog.euCodes(), this.catalog.resolveLanguage(locale));
    return { total: countries.length, countries };
  }

  listCountriesPhones(locale?: string): PhoneList {
    const phones = this.catalog.phones(this.catalog.resolveLanguage(locale));
    return { total: phones.length, phones };
  }

  listContinents(locale?: string): ContinentList {
    const continents = this.catalog.continents(this.catalog.resolveLanguage(locale));
    return { total: continents.length, continents };
  }

  /** Appwrite 1.3 does not translate currencies; neither do we. */
  listCurrencies(): CurrencyList {
    const currencies = this.catalog.currencyList();
    return { total: currencies.length, currencies };
  }

  /** Appwrite 1.3 does not translate languages; neither do we. */
  listLanguages(): LanguageList {
    const languages = this.catalog.languageList();
    return { total: languages.length, languages };
  }
}
