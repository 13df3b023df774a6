import { Injectable } from '@nestjs/common';
import { continents as continentNames, countries as countryFacts } from 'countries-list';
import countryNames from 'i18n-iso-countries';
import ISO6391 from 'iso-639-1';
import { getCountries as phoneCountries, getCountryCallingCode } from 'libphonenumber-js';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { ContinentModel, CountryModel, CurrencyModel, LanguageModel, PhoneModel } from './locale.dto';

/** Language of every answer when the caller asks for none, or for one we have no names in. */
export const DEFAULT_LOCALE = 'en';

/**
 * Continent codes Appwrite 1.3 reports, mapped to the region codes CLDR names them by
 * (UN M.49 areas; Antarctica is a region in its own right).
 */
const CONTINENT_REGIONS: Readonly<Record<string, string>> = {
  AF: '002',
  AN: 'AQ',
  AS: '142',
  EU: '150',
  NA: '003',
  OC: '009',
  SA: '005',
};

/**
 * Members of the European Union (27 since the United Kingdom left on 2020-01-31). No maintained
 * package carries membership, and it is a political fact rather than reference data.
 */
const EU_MEMBERS: readonly string[] = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]; // prettier-ignore

/** Currencies Appwrite lists first; the rest follow in code order. */
const LEADING_CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD'];

/** PHP's strcmp, which Appwrite 1.3 sorts names with: plain code-unit order, no collation. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Locale reference data, read from maintained packages: country names in many languages
 * (i18n-iso-countries), continents and currencies per country (countries-list), currency details
 * (currency-list), ISO 639-1 languages (iso-639-1), calling codes (libphonenumber-js), and CLDR
 * continent names from the runtime's ICU.
 */
@Injectable()
export class LocaleCatalog {
  private readonly nameLanguages: ReadonlySet<string>;
  private readonly registered = new Set<string>();
  private currencies?: CurrencyModel[];
  private languages?: LanguageModel[];

  constructor() {
    const langsDir = dirname(require.resolve('i18n-iso-countries/langs/en.json'));
    this.nameLanguages = new Set(readdirSync(langsDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)));
    this.register(DEFAULT_LOCALE);
  }

  /**
   * The language names are given in: the base language of `requested` (`pt-br` → `pt`) when we
   * have country names in it, otherwise English (Appwrite keeps its default for unknown codes).
   */
  resolveLanguage(requested?: string): string {
    const base = (requested ?? '').trim().toLowerCase().split(/[-_]/)[0];
    if (!base || !/^[a-z]{2,3}$/.test(base) || !this.nameLanguages.has(base)) return DEFAULT_LOCALE;
    this.register(base);
    return base;
  }

  /** Every ISO 3166-1 country the name package knows. */
  countryCodes(): string[] {
    return Object.keys(countryNames.getAlpha2Codes());
  }

  euCodes(): readonly string[] {
    return EU_MEMBERS;
  }

  isEu(code: string): boolean {
    return EU_MEMBERS.includes(code.toUpperCase());
  }

  countryName(code: string, language: string): string | undefined {
    return countryNames.getName(code, language) ?? countryNames.getName(code, DEFAULT_LOCALE);
  }

  countries(codes: readonly string[], language: string): CountryModel[] {
    const list: CountryModel[] = [];
    for (const code of codes) {
      const name = this.countryName(code, language);
      if (name) list.push({ name, code });
    }
    return list.sort((a, b) => byteOrder(a.name, b.name));
  }

  continentCodes(): string[] {
    return Object.keys(CONTINENT_REGIONS);
  }

  continentOf(countryCode: string): string | undefined {
    return (countryFacts as Record<string, { continent?: string }>)[countryCode.toUpperCase()]?.continent;
  }

  continentName(code: string, language: string): string | undefined {
    const region = CONTINENT_REGIONS[code.toUpperCase()];
    if (!region) return undefined;
    const name = new Intl.DisplayNames([language, DEFAULT_LOCALE], { type: 'region', fallback: 'none' }).of(region);
    return name ?? (continentNames as Record<string, string>)[code.toUpperCase()];
  }

  continents(language: string): ContinentModel[] {
    return this.continentCodes()
      .map((code) => ({ name: this.continentName(code, language) ?? code, code }))
      .sort((a, b) => byteOrder(a.name, b.name));
  }

  /** The first currency a country uses, or null when none is recorded. */
  currencyOf(countryCode: string): string | null {
    const facts = (countryFacts as Record<string, { currency?: string[] }>)[countryCode.toUpperCase()];
    return facts?.currency?.[0] ?? null;
  }

  /**
   * Calling codes ordered numerically, as Appwrite 1.3 orders them (PHP `asort` on numeric strings);
   * equal codes by country name. Countries without a name are left out, as in 1.3.
   */
  phones(language: string): PhoneModel[] {
    const list: Array<PhoneModel & { calling: number }> = [];
    for (const code of phoneCountries()) {
      const countryName = this.countryName(code, language);
      if (!countryName) continue;
      const calling = getCountryCallingCode(code);
      list.push({ code: `+${calling}`, countryCode: code, countryName, calling: Number(calling) });
    }
    list.sort((a, b) => a.calling - b.calling || byteOrder(a.countryName, b.countryName));
    return list.map(({ calling: _calling, ...phone }) => phone);
  }

  /** ISO 4217 currencies with symbols, digits and rounding; names in English as Appwrite 1.3 gives them. */
  currencyList(): CurrencyModel[] {
    this.currencies ??= Object.values(englishCurrencies())
      .map(toCurrencyModel)
      .sort((a, b) => rank(a.code) - rank(b.code) || byteOrder(a.code, b.code));
    return this.currencies;
  }

  /** ISO 639-1 languages with English and native names, in code order. */
  languageList(): LanguageModel[] {
    this.languages ??= ISO6391.getLanguages(ISO6391.getAllCodes())
      .map(({ code, name, nativeName }) => ({ name, code, nativeName }))
      .sort((a, b) => byteOrder(a.code, b.code));
    return this.languages;
  }

  private register(language: string): void {
    if (this.registered.has(language)) return;
    // The language was checked against the package's own file list above.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- per-language data is loaded on first use only
    countryNames.registerLocale(require(`i18n-iso-countries/langs/${language}.json`));
    this.registered.add(language);
  }
}

interface CurrencyEntry {
  name: string;
  symbol_native: string;
  symbol: string;
  code: string;
  name_plural: string;
  rounding: number;
  decimal_digits: number;
}

/**
 * English entries of currency-list. Its JSON holds every locale (11 MB); reading the file rather
 * than requiring the package keeps only the part we use (requiring it pins ~37 MB of heap).
 */
function englishCurrencies(): Record<string, CurrencyEntry> {
  const all = JSON.parse(readFileSync(require.resolve('currency-list/lib/currency-list.json'), 'utf8')) as Record<string, Record<string, CurrencyEntry>>;
  return all[DEFAULT_LOCALE];
}

function toCurrencyModel(entry: CurrencyEntry): CurrencyModel {
  return {
    symbol: entry.symbol,
    name: entry.name,
    symbolNative: entry.symbol_native,
    decimalDigits: entry.decimal_digits,
    rounding: entry.rounding,
    code: entry.code,
    namePlural: entry.name_plural,
  };
}

function rank(code: string): number {
  const index = LEADING_CURRENCIES.indexOf(code);
  return index === -1 ? LEADING_CURRENCIES.length : index;
}
