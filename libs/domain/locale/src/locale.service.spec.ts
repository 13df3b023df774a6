import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { LocaleCatalog } from './locale.catalog';
import { GeoLookup } from './locale.dto';
import { LocaleService } from './locale.service';

const reference = resolve(__dirname, '../../../../../shared/appwrite-1.3/locale');
const hasReference = existsSync(reference);
const withReference = hasReference ? it : it.skip;
const readReference = <T>(file: string): T => JSON.parse(readFileSync(resolve(reference, file), 'utf8')) as T;

describe('LocaleService', () => {
  const catalog = new LocaleCatalog();
  const sut = new LocaleService(catalog);

  it('reports an unplaceable IP the way Appwrite 1.3 does', () => {
    expect(sut.getLocale('127.0.0.1')).toEqual({ ip: '127.0.0.1', countryCode: '--', country: 'Unknown', continentCode: '--', continent: 'Unknown', eu: false, currency: null });
  });

  it('fills country, continent, EU membership and currency from a geo record, in the asked language', () => {
    const geo: GeoLookup = { lookup: (ip) => (ip === '1.2.3.4' ? { countryCode: 'DE' } : null) };
    const located = new LocaleService(catalog, geo);
    expect(located.getLocale('1.2.3.4', 'de')).toEqual({ ip: '1.2.3.4', countryCode: 'DE', country: 'Deutschland', continentCode: 'EU', continent: 'Europa', eu: true, currency: 'EUR' });
    expect(located.getLocale('1.2.3.4')).toMatchObject({ country: 'Germany', continent: 'Europe' });
    expect(located.getLocale('5.6.7.8').countryCode).toBe('--');
  });

  it('lists countries sorted by name with a matching total, translated when the language is known', () => {
    const { total, countries } = sut.listCountries();
    expect(total).toBe(countries.length);
    expect(total).toBeGreaterThan(240);
    const names = countries.map((c) => c.name);
    expect([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(names);
    expect(countries.find((c) => c.code === 'DE')?.name).toBe('Germany');
    expect(sut.listCountries('fr').countries.find((c) => c.code === 'DE')?.name).toBe('Allemagne');
    expect(sut.listCountries('pt-br').countries.find((c) => c.code === 'DE')?.name).toBe('Alemanha');
    expect(sut.listCountries('xx').countries.find((c) => c.code === 'DE')?.name).toBe('Germany');
  });

  it('lists the 27 EU members', () => {
    const { total, countries } = sut.listCountriesEu();
    expect(total).toBe(27);
    expect(countries.map((c) => c.code)).toEqual(expect.arrayContaining(['DE', 'FR', 'HR', 'SE']));
    expect(countries.map((c) => c.code)).not.toContain('GB');
  });

  it('lists calling codes in numeric order with country names', () => {
    const { total, phones } = sut.listCountriesPhones();
    expect(total).toBe(phones.length);
    const numbers = phones.map((p) => Number(p.code.slice(1)));
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    expect(phones).toContainEqual({ code: '+49', countryCode: 'DE', countryName: 'Germany' });
    expect(phones[0].code).toBe('+1');
  });

  it('lists the seven continents by name, translated', () => {
    expect(sut.listContinents().continents).toEqual([
      { name: 'Africa', code: 'AF' },
      { name: 'Antarctica', code: 'AN' },
      { name: 'Asia', code: 'AS' },
      { name: 'Europe', code: 'EU' },
      { name: 'North America', code: 'NA' },
      { name: 'Oceania', code: 'OC' },
      { name: 'South America', code: 'SA' },
    ]);
    expect(sut.listContinents('de').continents.find((c) => c.code === 'EU')?.name).toBe('Europa');
  });

  it('lists currencies with the 1.3 fields, USD first', () => {
    const { total, currencies } = sut.listCurrencies();
    expect(total).toBe(currencies.length);
    expect(currencies.slice(0, 4).map((c) => c.code)).toEqual(['USD', 'EUR', 'GBP', 'CAD']);
    expect(currencies[0]).toEqual({ symbol: '$', name: 'US Dollar', symbolNative: '$', decimalDigits: 2, rounding: 0, code: 'USD', namePlural: 'US dollars' });
    expect(currencies.find((c) => c.code === 'JPY')?.decimalDigits).toBe(0);
  });

  it('lists ISO 639-1 languages with native names, in code order', () => {
    const { total, languages } = sut.listLanguages();
    expect(total).toBeGreaterThan(180);
    expect(languages.find((l) => l.code === 'it')).toEqual({ name: 'Italian', code: 'it', nativeName: 'Italiano' });
    const codes = languages.map((l) => l.code);
    expect([...codes].sort()).toEqual(codes);
  });

  describe('coverage against Appwrite 1.3', () => {
    withReference('names every country 1.3 lists', () => {
      const ours = new Set(sut.listCountries().countries.map((c) => c.code));
      expect(readReference<string[]>('countries.json').filter((code) => !ours.has(code))).toEqual([]);
    });

    withReference('has the same EU members', () => {
      expect(sut.listCountriesEu().countries.map((c) => c.code).sort()).toEqual(readReference<string[]>('eu.json').sort());
    });

    withReference('has a calling code for every country 1.3 does, with a compatible prefix', () => {
      const ours = new Map(sut.listCountriesPhones().phones.map((p) => [p.countryCode, p.code]));
      // Vatican City: +379 was reserved for it but never used; it dials through Italy's +39.
      const reserved = new Set(['VA']);
      for (const [country, code] of Object.entries(readReference<Record<string, string>>('phones.json'))) {
        if (reserved.has(country)) continue;
        expect([country, `+${code}`.startsWith(ours.get(country) ?? '?')]).toEqual([country, true]);
      }
    });

    withReference('lists every currency 1.3 lists except the ones since withdrawn', () => {
      const ours = new Set(sut.listCurrencies().currencies.map((c) => c.code));
      const missing = readReference<Array<{ code: string }>>('currencies.json').filter((c) => !ours.has(c.code));
      // Estonian kroon, Lithuanian litas, Latvian lats, Zambian kwacha (old), Belarusian ruble (old), bolívar fuerte.
      expect(missing.map((c) => c.code).filter((code) => !['EEK', 'LTL', 'LVL', 'ZMK', 'BYR', 'VEF', 'HRK'].includes(code))).toEqual([]);
    });

    withReference('lists every language 1.3 lists except withdrawn ISO 639-1 codes', () => {
      const ours = new Set(sut.listLanguages().languages.map((l) => l.code));
      const missing = readReference<Array<{ code: string }>>('languages.json').filter((l) => !ours.has(l.code));
      // Bihari, Moldovan and Serbo-Croatian were withdrawn from ISO 639-1.
      expect(missing.map((l) => l.code).filter((code) => !['bh', 'mo', 'sh'].includes(code))).toEqual([]);
    });
  });
});
