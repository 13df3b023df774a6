/** Response models of the Locale service (Appwrite 1.3 `locale`, `country`, `continent`, … and their lists). */

export interface LocaleModel {
  ip: string;
  countryCode: string;
  country: string;
  continentCode: string;
  continent: string;
  eu: boolean;
  /** ISO 4217 code; null when the country is unknown, as in Appwrite 1.3. */
  currency: string | null;
}

export interface CountryModel {
  name: string;
  code: string;
}

export interface ContinentModel {
  name: string;
  code: string;
}

export interface LanguageModel {
  name: string;
  code: string;
  nativeName: string;
}

export interface CurrencyModel {
  symbol: string;
  name: string;
  symbolNative: string;
  decimalDigits: number;
  rounding: number;
  code: string;
  namePlural: string;
}

export interface PhoneModel {
  code: string;
  countryCode: string;
  countryName: string;
}

export interface CountryList {
  total: number;
  countries: CountryModel[];
}

export interface ContinentList {
  total: number;
  continents: ContinentModel[];
}

export interface LanguageList {
  total: number;
  languages: LanguageModel[];
}

export interface CurrencyList {
  total: number;
  currencies: CurrencyModel[];
}

export interface PhoneList {
  total: number;
  phones: PhoneModel[];
}

/** Where an IP address is, as far as a geo database knows. */
export interface GeoRecord {
  countryCode: string;
  continentCode?: string;
}

/**
 * Looks an IP address up in a geo database. None ships with the product (no offline database
 * package runs on Node 20 under a usable licence), so the default knows no address.
 */
export interface GeoLookup {
  lookup(ip: string): GeoRecord | null;
}

export const GEO_LOOKUP = Symbol('GEO_LOOKUP');
