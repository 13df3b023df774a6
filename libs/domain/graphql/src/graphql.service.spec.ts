import { AuthType } from '@appconda/core';
import { testConfig } from '@appconda/testing';

import { OperationSpec } from './contract/catalogue';
import { GraphqlResult, GraphqlService } from './graphql.service';
import { RouteDiscovery, routePath, servedOperations, ServedRoute } from './route-discovery';
import { Caller, innerRequest, multipartBody, queryString, RouteFieldError, RouteRunner } from './route-runner';
import { UploadedFile } from './scalars';

const declaration = { auth: [AuthType.Guest], scope: 'locale.read' };
const served: ServedRoute[] = [
  { method: 'GET', path: '/locale', declaration },
  { method: 'GET', path: '/locale/countries', declaration },
  { method: 'GET', path: '/account', declaration: { auth: [AuthType.Session], scope: 'account' } },
  { method: 'DELETE', path: '/account/sessions', declaration: { auth: [AuthType.Session], scope: 'account' } },
  { method: 'GET', path: '/health/version', declaration: { auth: [AuthType.Guest], scope: 'public' } },
  { method: 'POST', path: '/graphql', declaration: { auth: [AuthType.Guest], scope: 'graphql' } },
];

const caller: Caller = { headers: { 'x-appwrite-project': 'p1', cookie: 'a=b', 'content-type': 'application/json', 'x-sdk-graphql': 'true' }, remoteAddress: '10.0.0.9', projectId: 'p1', forward: () => undefined };

function service(run: (operation: OperationSpec, args: Record<string, unknown>) => Promise<unknown>, env: Record<string, string> = {}): GraphqlService {
  const discovery = { routes: () => served } as unknown as RouteDiscovery;
  const runner = { run } as unknown as RouteRunner;
  const sut = new GraphqlService(testConfig({ _APP_GRAPHQL_MAX_BATCH_SIZE: '3', ...env }), discovery, runner);
  sut.onApplicationBootstrap();
  return sut;
}

describe('servedOperations', () => {
  it('makes fields of served contract routes only, never GraphQL itself', () => {
    expect(servedOperations(served).map((operation) => operation.field)).toEqual(['localeGet', 'localeListCountries', 'accountGet', 'accountDeleteSessions']);
  });

  it('spells Nest paths the contract way', () => {
    expect(routePath('databases/:databaseId/collections', ':collectionId/')).toBe('/databases/{databaseId}/collections/{collectionId}');
    expect(routePath('locale', '/')).toBe('/locale');
  });
});

describe('GraphqlService', () => {
  const answers: Record<string, unknown> = { localeGet: { ip: '1.2.3.4', country: 'Germany' }, localeListCountries: { total: 1, countries: [{ name: 'Germany', code: 'DE' }] } };
  const sut = service(async (operation) => {
    if (operation.field === 'accountGet') throw new RouteFieldError('User (role: guests) missing scope (account)', 401, 'general_unauthorized_scope');
    if (operation.field === 'accountDeleteSessions') throw new TypeError('boom');
    return answers[operation.field];
  });

  it('answers one request with one result and a batch with a list', async () => {
    expect(await sut.execute({ query: '{ localeGet { ip } }' }, caller)).toEqual({ data: { localeGet: { ip: '1.2.3.4' } } });
    // 1.3: a batch of one is answered as one result.
    expect(await sut.execute([{ query: '{ localeGet { ip } }' }], caller)).toEqual({ data: { localeGet: { ip: '1.2.3.4' } } });
    const batch = (await sut.execute([{ query: '{ localeGet { country } }' }, { query: '{ localeListCountries { total } }' }], caller)) as GraphqlResult[];
    expect(batch).toEqual([{ data: { localeGet: { country: 'Germany' } } }, { data: { localeListCountries: { total: 1 } } }]);
  });

  it('reports a failing route as a null field with an appwrite error, and a crash as internal', async () => {
    expect(await sut.execute({ query: '{ localeGet { ip } accountGet { _id } }' }, caller)).toEqual({
      errors: [{ message: 'User (role: guests) missing scope (account)', extensions: { category: 'appwrite' }, locations: [{ line: 1, column: 20 }], path: ['accountGet'] }],
      data: { localeGet: { ip: '1.2.3.4' }, accountGet: null },
    });
    const crashed = await sut.execute({ query: 'mutation { accountDeleteSessions { status } }' }, caller);
    expect(crashed).toEqual({ errors: [expect.objectContaining({ message: 'Internal server error', extensions: { category: 'internal' } })], data: { accountDeleteSessions: null } });
  });

  it('refuses mutations when only queries may run (GET)', async () => {
    const result = (await sut.execute({ query: 'mutation { accountDeleteSessions { status } }' }, caller, { queriesOnly: true })) as GraphqlResult;
    expect(result.errors?.[0].message).toBe('Only queries run over GET; send mutations with POST.');
  });

  it('allows introspection and lifts depth and complexity limits only when abuse checks are disabled (as 1.3)', async () => {
    const open = service(async () => ({}), { _APP_OPTIONS_ABUSE: 'disabled' });
    const result = (await open.execute({ query: '{ __schema { queryType { fields { name } } } }' }, caller)) as GraphqlResult;
    expect(result.errors).toBeUndefined();
    const limited = (await sut.execute({ query: '{ __type(name: "Locale") { name } }' }, caller)) as GraphqlResult;
    expect(limited.errors?.[0].extensions.category).toBe('graphql');
  });

  it('reuses a prepared query with fresh variables, and its errors', async () => {
    const query = 'query($x: Boolean!) { localeGet { ip @include(if: $x) country } }';
    expect(await sut.execute({ query, variables: { x: true } }, caller)).toEqual({ data: { localeGet: { ip: '1.2.3.4', country: 'Germany' } } });
    expect(await sut.execute({ query, variables: { x: false } }, caller)).toEqual({ data: { localeGet: { country: 'Germany' } } });
    const broken = { query: '{ localeGet { nope } }' };
    expect(await sut.execute(broken, caller)).toEqual(await sut.execute(broken, caller));
  });

  it('passes variables given as JSON text', async () => {
    const result = await sut.execute({ query: 'query($x: Boolean!) { localeGet { ip @include(if: $x) country } }', variables: '{"x": false}' }, caller);
    expect(result).toEqual({ data: { localeGet: { country: 'Germany' } } });
  });
});

describe('innerRequest', () => {
  const create: OperationSpec = {
    method: 'POST',
    path: '/databases/{databaseId}/collections/{collectionId}/documents',
    field: 'databasesCreateDocument',
    model: 'document',
    args: [
      { name: 'databaseId', type: 'String', required: true, inPath: true },
      { name: 'collectionId', type: 'String', required: true, inPath: true },
      { name: 'documentId', type: 'String', required: true, inPath: false },
      { name: 'data', type: 'Json', required: true, inPath: false },
      { name: 'permissions', type: '[String]', required: false, inPath: false },
    ],
  };

  it("carries the caller's headers and address, path params in the URL, the rest as JSON", () => {
    const request = innerRequest(create, { databaseId: 'd/1', collectionId: 'c', documentId: 'x', data: { a: 1 }, permissions: null }, { ...caller, projectId: 'from-query' });
    expect(request).toEqual({
      method: 'POST',
      url: '/v1/databases/d%2F1/collections/c/documents',
      headers: { 'x-appwrite-project': 'from-query', cookie: 'a=b', 'content-type': 'application/json' },
      payload: JSON.stringify({ documentId: 'x', data: { a: 1 } }),
      remoteAddress: '10.0.0.9',
    });
  });

  it('sends GET params as a query string with lists as name[]', () => {
    expect(queryString({ queries: ['limit(1)', 'offset(2)'], search: 'a b', n: 3 })).toBe('queries%5B%5D=limit(1)&queries%5B%5D=offset(2)&search=a%20b&n=3');
  });

  it('writes uploads as multipart: fields first, then the file', () => {
    const body = multipartBody({ file: new UploadedFile('a"b.txt', 'text/plain', Buffer.from('hello')), fileId: 'f', permissions: ['read("any")'] }, 'XX').toString();
    expect(body).toBe(
      [
        '--XX\r\nContent-Disposition: form-data; name="fileId"\r\n\r\nf\r\n',
        '--XX\r\nContent-Disposition: form-data; name="permissions[0]"\r\n\r\nread("any")\r\n',
        '--XX\r\nContent-Disposition: form-data; name="file"; filename="a_b.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n',
        '--XX--\r\n',
      ].join(''),
    );
  });
});
