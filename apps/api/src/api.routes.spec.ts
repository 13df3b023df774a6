import { routeCatalogue, routePath } from '@appconda/testing';

import { ApiModule } from './api.module';

describe('routeCatalogue', () => {
  const routes = routeCatalogue(ApiModule);

  it('lists every route of the api app with its @Route declaration', () => {
    // 192 Appwrite 1.3 endpoints are routed today plus the pre-1.0 /v1/database aliases.
    expect(routes.length).toBeGreaterThan(190);
    const undeclared = routes.filter((route) => !route.route).map((route) => `${route.method} ${route.path}`);
    expect(undeclared).toEqual([]);
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads paths, params, DTO fields, auth and scope', () => {
    const create = routes.find((route) => route.method === 'POST' && route.path === '/v1/teams')!;
    expect(create.route).toMatchObject({ scope: 'teams.write', status: 201 });
    expect(create.body?.fields.map((field) => field.name)).toEqual(['name', 'roles', 'teamId']);
    expect(create.body?.fields.find((field) => field.name === 'roles')).toMatchObject({ type: 'array', optional: true });
    expect(create.body?.fields.find((field) => field.name === 'name')).toMatchObject({ type: 'string', optional: false, maxLength: 128 });
    const membership = routes.find((route) => route.method === 'PATCH' && route.path === '/v1/teams/:teamId/memberships/:membershipId')!;
    expect(membership.pathParams).toEqual(['teamId', 'membershipId']);
    expect(routePath(membership, { teamId: 't/1' })).toBe('/v1/teams/t%2F1/memberships/unknown');
    const upload = routes.find((route) => route.method === 'POST' && route.path === '/v1/storage/buckets/:bucketId/files')!;
    expect(upload.raw.request).toBe(true);
  });
});
