import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { keyClient, signedInUser, web, webClient } from '../../support/identity-clients';

// Locale through both SDKs against `appconda all`: every endpoint, and the X-Appwrite-Locale
// translation the SDKs send after `client.setLocale()`.

describe('locale through the SDKs (appconda all)', () => {
  let consoleSession: ConsoleSession;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('locale');
  });

  const serverLocale = (language?: string) => {
    const client = keyClient(consoleSession.projectId, consoleSession.key);
    if (language) client.setLocale(language);
    return new sdk.Locale(client);
  };

  it('serves every list with its total (node SDK, API key)', async () => {
    const locale = serverLocale();
    const countries = await locale.listCountries();
    expect(countries.total).toBe(countries.countries.length);
    expect(countries.total).toBeGreaterThan(190);
    expect(countries.countries).toContainEqual({ name: 'Germany', code: 'DE' });

    const eu = await locale.listCountriesEU();
    expect(eu.total).toBe(27);
    expect(eu.countries.map((c) => c.code)).toEqual(expect.arrayContaining(['DE', 'FR', 'IT', 'PL', 'IE']));
    expect(eu.countries.map((c) => c.code)).not.toContain('GB');

    const phones = await locale.listCountriesPhones();
    expect(phones.total).toBe(phones.phones.length);
    expect(phones.phones).toContainEqual({ code: '+49', countryCode: 'DE', countryName: 'Germany' });
    expect(phones.phones.find((p) => p.countryCode === 'US')).toMatchObject({ code: '+1' });
    // Ordered by calling code, as 1.3 does.
    const codes = phones.phones.map((p) => Number(p.code.slice(1)));
    expect(codes).toEqual([...codes].sort((a, b) => a - b));

    const continents = await locale.listContinents();
    expect(continents.total).toBe(7);
    expect(continents.continents).toContainEqual({ name: 'Europe', code: 'EU' });

    const currencies = await locale.listCurrencies();
    expect(currencies.total).toBe(currencies.currencies.length);
    expect(currencies.currencies.find((c) => c.code === 'EUR')).toMatchObject({
      symbol: '€',
      name: 'Euro',
      decimalDigits: 2,
      namePlural: expect.any(String),
      symbolNative: '€',
      rounding: 0,
    });

    const languages = await locale.listLanguages();
    expect(languages.total).toBe(languages.languages.length);
    expect(languages.languages).toContainEqual({ code: 'de', name: 'German', nativeName: 'Deutsch' });
  });

  it('translates names with X-Appwrite-Locale (setLocale), falling back to English for an unknown locale', async () => {
    const german = serverLocale('de');
    expect((await german.listCountries()).countries).toContainEqual({ name: 'Deutschland', code: 'DE' });
    expect((await german.listCountriesEU()).countries).toContainEqual({ name: 'Frankreich', code: 'FR' });
    expect((await german.listCountriesPhones()).phones).toContainEqual({ code: '+49', countryCode: 'DE', countryName: 'Deutschland' });
    expect((await german.listContinents()).continents).toContainEqual({ name: 'Europa', code: 'EU' });

    const fallback = serverLocale('xx-nowhere');
    expect((await fallback.listCountries()).countries).toContainEqual({ name: 'Germany', code: 'DE' });

    // 1.3 sorts after translating, with PHP strcmp (code units, no collation): "Ägypten" after "Z…".
    const names = (await german.listCountries()).countries.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(names.indexOf('Ägypten')).toBeGreaterThan(names.indexOf('Zypern'));
  });

  it('works for guests and signed-in users through the web SDK, with translation', async () => {
    const guest = webClient(consoleSession.projectId, '203.0.113.9');
    guest.client.setLocale('fr');
    const guestLocale = new web.Locale(guest.client);
    expect((await guestLocale.listContinents()).continents).toContainEqual({ name: 'Afrique', code: 'AF' });
    const here = await guestLocale.get();
    expect(here).toMatchObject({
      ip: '203.0.113.9',
      countryCode: expect.any(String),
      country: expect.any(String),
      continentCode: expect.any(String),
      eu: expect.any(Boolean),
    });
    expect(Object.keys(here).sort()).toEqual(['continent', 'continentCode', 'country', 'countryCode', 'currency', 'eu', 'ip']);

    const user = await signedInUser(consoleSession.projectId, 'locale');
    user.client.setLocale('es');
    const userLocale = new web.Locale(user.client);
    expect((await userLocale.listCountries()).countries).toContainEqual({ name: 'Alemania', code: 'DE' });
    expect((await userLocale.listLanguages()).total).toBeGreaterThan(100);
    expect((await userLocale.listCurrencies()).total).toBeGreaterThan(100);
  });

  it('GET /locale reports the caller IP and is cacheable for 45 days', async () => {
    const res = await fetch(`${consoleSession.endpoint}/locale`, {
      headers: { 'x-appwrite-project': consoleSession.projectId, 'x-forwarded-for': '198.51.100.7' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ip: string }).ip).toBe('198.51.100.7');
    expect(res.headers.get('cache-control')).toBe(`public, max-age=${45 * 24 * 3600}`);
  });

  it.todo(
    'GET /locale places a public IP (1.3: 8.8.8.8 → US, North America): no GeoIP database is wired in the deployment (GEO_LOOKUP has no provider), so every IP is "--"/Unknown',
  );
});
