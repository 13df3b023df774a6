import { DynamicModule, Global, Module } from '@nestjs/common';
import { scopesForRole } from '@appconda/contracts';
import { HttpPipelineModule, IDENTITY_RESOLVER, IdentityResolver, NestFastifyApplication, createHttpApp, guestContext } from '@appconda/core';

import { LocaleApiModule } from './locale-api.module';

/** Every caller is a guest of the console project, with the guests role's scopes. */
const guests: IdentityResolver = { resolve: async (request, requestId) => guestContext(request, requestId, 'console', scopesForRole('guests')) };

/** The guard lives in HttpPipelineModule, so the resolver must be visible globally (as the auth lib's is). */
@Global()
@Module({})
class IdentityModule {
  static with(resolver: IdentityResolver): DynamicModule {
    return { module: IdentityModule, providers: [{ provide: IDENTITY_RESOLVER, useValue: resolver }], exports: [IDENTITY_RESOLVER] };
  }
}

@Module({ imports: [IdentityModule.with(guests), HttpPipelineModule, LocaleApiModule] })
class TestLocaleModule {}

describe('Locale over HTTP', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await createHttpApp(TestLocaleModule, 'locale-test');
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/v1`.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };

  it('answers GET /v1/locale for a loopback caller with unknown placement and a cache header', async () => {
    const { status, headers, body } = await get('/locale');
    expect(status).toBe(200);
    expect(body).toEqual({ ip: '127.0.0.1', countryCode: '--', country: 'Unknown', continentCode: '--', continent: 'Unknown', eu: false, currency: null });
    expect(headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  });

  it('uses the first X-Forwarded-For address as the caller IP', async () => {
    const { body } = await get('/locale', { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' });
    expect(body.ip).toBe('203.0.113.9');
  });

  it('translates by X-Appwrite-Locale and by the locale param', async () => {
    const header = await get('/locale/countries/eu', { 'x-appwrite-locale': 'de' });
    expect(header.body.countries).toContainEqual({ name: 'Deutschland', code: 'DE' });
    const param = await get('/locale/continents?locale=fr');
    expect(param.body.continents).toContainEqual({ name: 'Europe', code: 'EU' });
    expect(param.body.continents).toContainEqual({ name: 'Afrique', code: 'AF' });
  });

  it('serves all seven routes with 1.3 list keys', async () => {
    for (const [path, key] of [
      ['/locale/countries', 'countries'],
      ['/locale/countries/eu', 'countries'],
      ['/locale/countries/phones', 'phones'],
      ['/locale/continents', 'continents'],
      ['/locale/currencies', 'currencies'],
      ['/locale/languages', 'languages'],
    ]) {
      const { status, body } = await get(path);
      expect([path, status, Object.keys(body).sort()]).toEqual([path, 200, [key, 'total'].sort()]);
      expect(body.total).toBe(body[key].length);
    }
  });

  it('refuses a caller whose role lacks locale.read', async () => {
    const denied = await createHttpApp(DeniedModule, 'locale-test');
    await denied.listen(0, '127.0.0.1');
    try {
      const response = await fetch(`${(await denied.getUrl()).replace('[::1]', '127.0.0.1')}/v1/locale/countries`);
      expect(response.status).toBe(401);
      expect(((await response.json()) as any).type).toBe('general_unauthorized_scope');
    } finally {
      await denied.close();
    }
  });

  it('works with node-appwrite', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDKs ship CommonJS without types we need here
    const { Client, Locale } = require('node-appwrite');
    const locale = new Locale(new Client().setEndpoint(base).setProject('console'));
    expect((await locale.get()).countryCode).toBe('--');
    const countries = await locale.listCountries();
    expect(countries.total).toBeGreaterThan(240);
    expect(countries.countries).toContainEqual({ name: 'Germany', code: 'DE' });
    expect((await locale.listCountriesEU()).total).toBe(27);
    expect((await locale.listCountriesPhones()).phones).toContainEqual({ code: '+49', countryCode: 'DE', countryName: 'Germany' });
    expect((await locale.listContinents()).total).toBe(7);
    expect((await locale.listCurrencies()).currencies[0].code).toBe('USD');
    expect((await locale.listLanguages()).languages).toContainEqual({ name: 'Italian', code: 'it', nativeName: 'Italiano' });
  });

  it('works with the web SDK, including its locale setting', async () => {
    const globals = globalThis as { localStorage?: unknown };
    globals.localStorage ??= { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDKs ship CommonJS without types we need here
    const { Client, Locale } = require('appwrite');
    const client = new Client().setEndpoint(base).setProject('console').setLocale('es');
    const locale = new Locale(client);
    expect((await locale.listCountries()).countries).toContainEqual({ name: 'Alemania', code: 'DE' });
    expect((await locale.get()).ip).toBe('127.0.0.1');
    expect((await locale.listCurrencies()).total).toBeGreaterThan(100);
  });
});

const nobody: IdentityResolver = { resolve: async (request, requestId) => guestContext(request, requestId, 'console', []) };

@Module({ imports: [IdentityModule.with(nobody), HttpPipelineModule, LocaleApiModule] })
class DeniedModule {}
