import { ProjectRepository } from '@appconda/database';
import { LocaleApiModule } from '@appconda/locale';
import { createTestApi, TestApi } from '@appconda/testing';

import { ProjectContextService } from './project-context.service';

describe('request pipeline: service switches and forced HTTPS (real MariaDB/Redis)', () => {
  describe('service status', () => {
    let api: TestApi;
    let projectId: string;
    let key: string;

    beforeAll(async () => {
      api = await createTestApi([LocaleApiModule]);
      ({ projectId, key } = await api.seedProject(['locale.read']));
      await api.app.get(ProjectRepository).update('console', projectId, { services: { locale: false } });
      api.app.get(ProjectContextService).invalidate(projectId);
    });

    afterAll(() => api.close());

    it('answers 503 general_service_disabled to end users of a disabled service', async () => {
      const res = await fetch(`${api.endpoint}/locale/countries`, { headers: { 'x-appwrite-project': projectId } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 503, type: 'general_service_disabled' });
    });

    it('still serves API keys', async () => {
      const res = await fetch(`${api.endpoint}/locale/countries`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key } });
      expect(res.status).toBe(200);
    });
  });

  describe('_APP_OPTIONS_FORCE_HTTPS', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await createTestApi([LocaleApiModule], { env: { _APP_OPTIONS_FORCE_HTTPS: 'enabled' } });
    });

    afterAll(() => api.close());

    it('redirects plain-HTTP GETs to https', async () => {
      const res = await fetch(`${api.endpoint}/locale/countries?project=console`, { redirect: 'manual', headers: { 'x-forwarded-host': 'api.example.test' } });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe('https://api.example.test/v1/locale/countries?project=console');
    });

    it('refuses other plain-HTTP methods with general_protocol_unsupported', async () => {
      const res = await fetch(`${api.endpoint}/account`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(await res.json()).toMatchObject({ type: 'general_protocol_unsupported' });
    });

    it('serves https requests (behind a proxy) with HSTS', async () => {
      const res = await fetch(`${api.endpoint}/locale/countries`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    });
  });
});
