import { createHash, randomBytes } from 'node:crypto';

import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession, endpoint, testIp } from '../../support/console';
import { eventually, failure, keyClient, raw, signedInUser, web, webClient } from '../../support/identity-clients';

// The web SDK loads `isomorphic-form-data`, which swaps Node's FormData for the `form-data` package that
// fetch cannot send; the multipart test needs the native one (as a browser has).
jest.mock('isomorphic-form-data', () => ({}));

// GraphQL through both SDKs against `appconda all`: every field runs its REST route as the caller,
// so data written through GraphQL is what REST reads back, and REST's checks answer GraphQL callers.

type Result = { data?: Record<string, any> | null; errors?: { message: string; extensions: { category: string }; locations?: unknown[]; path?: unknown[] }[] };

let session: ConsoleSession;
let graphql: sdk.Graphql;
let databases: sdk.Databases;
let storage: sdk.Storage;

/** A key client with its own client IP, so the per-IP GraphQL limit (60 a minute) is this file's alone. */
function serverClient(key: string): sdk.Client {
  const client = keyClient(session.projectId, key);
  // node-appwrite 9 has addHeader at runtime but not in its typings.
  (client as unknown as { addHeader(name: string, value: string): void }).addHeader('X-Forwarded-For', testIp());
  return client;
}

beforeAll(async () => {
  session = await bootstrapConsole('graphql');
  const client = serverClient(session.key);
  graphql = new sdk.Graphql(client);
  databases = new sdk.Databases(client);
  storage = new sdk.Storage(client);
});

describe('GraphQL through node-appwrite (Graphql service)', () => {
  it('answers a batch of two locale queries with a list of two results', async () => {
    const results = (await graphql.query([
      { query: 'query { localeListContinents { total continents { code name } } }' },
      { query: 'query Eu($codes: Boolean!) { localeListCountriesEU { total countries @include(if: $codes) { code } } }', variables: { codes: true }, operationName: 'Eu' },
    ])) as unknown as Result[];
    expect(results).toHaveLength(2);
    expect(results[0].data!.localeListContinents.total).toBe(7);
    expect(results[0].data!.localeListContinents.continents).toContainEqual({ code: 'EU', name: 'Europe' });
    expect(results[1].data!.localeListCountriesEU.total).toBe(27);
    expect(results[1].data!.localeListCountriesEU.countries).toContainEqual({ code: 'DE' });
  });

  it('creates a database, a collection and documents, and lists them, all through GraphQL; REST reads the same data', async () => {
    const databaseId = `gql${randomBytes(4).toString('hex')}`;
    const created = (await graphql.mutation({
      query: `mutation Schema($db: String!) {
        databasesCreate(databaseId: $db, name: "Shop") { _id name }
        databasesCreateCollection(databaseId: $db, collectionId: "items", name: "Items", permissions: ["read(\\"any\\")"], documentSecurity: false) { _id _permissions documentSecurity }
        databasesCreateStringAttribute(databaseId: $db, collectionId: "items", key: "title", size: 64, required: true) { key status }
        databasesCreateIntegerAttribute(databaseId: $db, collectionId: "items", key: "stock", required: false, min: 0, max: 100) { key min max }
      }`,
      variables: { db: databaseId },
    })) as unknown as Result;
    expect(created.errors).toBeUndefined();
    expect(created.data).toEqual({
      databasesCreate: { _id: databaseId, name: 'Shop' },
      databasesCreateCollection: { _id: 'items', _permissions: ['read("any")'], documentSecurity: false },
      databasesCreateStringAttribute: { key: 'title', status: 'processing' },
      databasesCreateIntegerAttribute: { key: 'stock', min: 0, max: 100 },
    });
    await eventually(async () => {
      const result = (await graphql.query({
        query: 'query($db: String!) { databasesListAttributes(databaseId: $db, collectionId: "items") { attributes { ... on AttributeString { status } ... on AttributeInteger { status } } } }',
        variables: { db: databaseId },
      })) as unknown as Result;
      return result.data?.databasesListAttributes.attributes.every((a: { status: string }) => a.status === 'available');
    }, 'attributes available');

    const doc = 'mutation($db: String!, $id: String!, $data: Json!) { databasesCreateDocument(databaseId: $db, collectionId: "items", documentId: $id, data: $data) { _id _collectionId data } }';
    const first = (await graphql.mutation({ query: doc, variables: { db: databaseId, id: 'apple', data: { title: 'Apple', stock: 3 } } })) as unknown as Result;
    expect(first.errors).toBeUndefined();
    expect(first.data!.databasesCreateDocument).toMatchObject({ _id: 'apple', _collectionId: 'items' });
    expect(JSON.parse(first.data!.databasesCreateDocument.data)).toEqual({ title: 'Apple', stock: 3 });
    // Document data as JSON text, the way 1.3's examples write it inline.
    const second = (await graphql.mutation({
      query: `mutation { databasesCreateDocument(databaseId: "${databaseId}", collectionId: "items", documentId: "pear", data: "{\\"title\\":\\"Pear\\",\\"stock\\":7}") { _id } }`,
    })) as unknown as Result;
    expect(second).toEqual({ data: { databasesCreateDocument: { _id: 'pear' } } });

    const listed = (await graphql.query({
      query: 'query($db: String!, $q: [String]) { databasesListDocuments(databaseId: $db, collectionId: "items", queries: $q) { total documents { _id data } } }',
      variables: { db: databaseId, q: ['orderDesc("stock")', 'limit(10)'] },
    })) as unknown as Result;
    expect(listed.data!.databasesListDocuments.total).toBe(2);
    expect(listed.data!.databasesListDocuments.documents.map((d: { _id: string; data: string }) => [d._id, JSON.parse(d.data).stock])).toEqual([
      ['pear', 7],
      ['apple', 3],
    ]);
    const rest = await databases.listDocuments(databaseId, 'items');
    expect(rest.documents.map((d) => d.$id).sort()).toEqual(['apple', 'pear']);
    // The route's audit ran for the GraphQL write as for a REST one.
    const logs = await eventually(async () => {
      const result = (await graphql.query({ query: `{ databasesListDocumentLogs(databaseId: "${databaseId}", collectionId: "items", documentId: "apple") { total logs { event } } }` })) as unknown as Result;
      return result.data?.databasesListDocumentLogs.total > 0 && result.data!.databasesListDocumentLogs;
    }, 'audit of the GraphQL document create');
    expect(logs.logs[0].event).toBe('document.create');
  });

  it('uploads a file with a GraphQL multipart request (storageCreateFile) that REST downloads byte for byte', async () => {
    const bucket = await storage.createBucket(sdk.ID.unique(), 'gql uploads', [sdk.Permission.read(sdk.Role.any())]);
    const content = randomBytes(70 * 1024);
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: 'mutation($bucket: String!, $file: InputFile!) { storageCreateFile(bucketId: $bucket, fileId: "unique()", file: $file, permissions: ["read(\\"any\\")"]) { _id name sizeOriginal bucketId } }',
        variables: { bucket: bucket.$id, file: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([content], { type: 'application/octet-stream' }), 'blob.bin');
    const res = await fetch(`${endpoint()}/graphql/mutation`, { method: 'POST', headers: { 'x-appwrite-project': session.projectId, 'x-appwrite-key': session.key, 'x-forwarded-for': testIp() }, body: form });
    const body = (await res.json()) as Result;
    expect([res.status, body.errors]).toEqual([200, undefined]);
    const file = body.data!.storageCreateFile;
    expect(file).toMatchObject({ name: 'blob.bin', sizeOriginal: content.length, bucketId: bucket.$id });
    const downloaded = Buffer.from(await storage.getFileDownload(bucket.$id, file._id));
    expect(createHash('md5').update(downloaded).digest('hex')).toBe(createHash('md5').update(content).digest('hex'));
  });

  it('denies a field the key has no scope for, with the REST message, and writes nothing', async () => {
    const databaseId = `deny${randomBytes(4).toString('hex')}`;
    await databases.create(databaseId, 'Deny');
    await databases.createCollection(databaseId, 'notes', 'Notes', [sdk.Permission.read(sdk.Role.any()), sdk.Permission.create(sdk.Role.any())]);
    const readOnly = await session.call<{ secret: string }>('POST', `/projects/${session.projectId}/keys`, { name: 'read only', scopes: ['databases.read', 'collections.read', 'documents.read'] });
    const limited = new sdk.Graphql(serverClient(readOnly.body.secret));
    const denied = (await limited.mutation({
      query: `mutation { databasesCreateDocument(databaseId: "${databaseId}", collectionId: "notes", documentId: "n1", data: {text: "hi"}) { _id } }`,
    })) as unknown as Result;
    expect(denied.data).toEqual({ databasesCreateDocument: null });
    expect(denied.errors).toEqual([
      { message: 'User (role: apps) missing scope (documents.write)', extensions: { category: 'appwrite' }, locations: [{ line: 1, column: 12 }], path: ['databasesCreateDocument'] },
    ]);
    // The same key may read through GraphQL: the denial is the route's scope, not GraphQL's.
    const read = (await limited.query({ query: `{ databasesListDocuments(databaseId: "${databaseId}", collectionId: "notes") { total } }` })) as unknown as Result;
    expect(read).toEqual({ data: { databasesListDocuments: { total: 0 } } });
    expect((await databases.listDocuments(databaseId, 'notes')).total).toBe(0);
  });
});

describe('GraphQL through the web SDK (appwrite@11)', () => {
  it('updates account prefs with an Assoc argument as the signed-in user; REST reads them back', async () => {
    const user = await signedInUser(session.projectId, 'gql');
    const gql = new web.Graphql(user.client);
    const updated = (await gql.mutation({
      query: 'mutation($prefs: Assoc!) { accountUpdatePrefs(prefs: $prefs) { _id email prefs { data } } }',
      variables: { prefs: { theme: 'dark', size: 3 } },
    })) as unknown as Result;
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.accountUpdatePrefs).toMatchObject({ _id: user.userId, email: user.email });
    expect(JSON.parse(updated.data!.accountUpdatePrefs.prefs.data)).toEqual({ theme: 'dark', size: 3 });
    expect(await user.account.getPrefs()).toEqual({ theme: 'dark', size: 3 });
    // Assoc as JSON text, inline.
    const inline = (await gql.mutation({ query: 'mutation { accountUpdatePrefs(prefs: "{\\"theme\\":\\"light\\"}") { prefs { data } } }' })) as unknown as Result;
    expect(JSON.parse(inline.data!.accountUpdatePrefs.prefs.data)).toEqual({ theme: 'light' });
  });

  it('signs a guest in through GraphQL: the session cookie reaches the client, REST then knows the user', async () => {
    const guest = webClient(session.projectId);
    const gql = new web.Graphql(guest.client);
    const created = (await gql.mutation({ query: 'mutation { accountCreateAnonymousSession { _id userId provider } }' })) as unknown as Result;
    expect(created.data!.accountCreateAnonymousSession.provider).toBe('anonymous');
    const me = await guest.account.get();
    expect(me.$id).toBe(created.data!.accountCreateAnonymousSession.userId);
    const again = (await gql.query({ query: '{ accountGet { _id } }' })) as unknown as Result;
    expect(again).toEqual({ data: { accountGet: { _id: me.$id } } });
  });

  it("applies each field's own abuse limit: the 11th email session attempt in one mutation is 429", async () => {
    const gql = new web.Graphql(webClient(session.projectId).client);
    const email = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    const attempts = Array.from({ length: 11 }, (_, i) => `s${i}: accountCreateEmailSession(email: "${email}", password: "wrong-password") { _id }`);
    const result = (await gql.mutation({ query: `mutation { ${attempts.join(' ')} }` })) as unknown as Result;
    expect(Object.values(result.data!)).toEqual(Array(11).fill(null));
    const messages = result.errors!.map((error) => [error.path![0], error.message]);
    expect(messages.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => [`s${i}`, 'The email or password is incorrect.']));
    expect(messages[10]).toEqual(['s10', 'Too many requests to this endpoint. Please wait a moment and try again.']);
  });

  it('answers a guest without the account scope with a field error, not a failed request', async () => {
    const gql = new web.Graphql(webClient(session.projectId).client);
    const result = (await gql.query({ query: '{ accountGet { _id } localeListLanguages { total } }' })) as unknown as Result;
    expect(result.data).toEqual({ accountGet: null, localeListLanguages: { total: expect.any(Number) } });
    expect(result.errors).toEqual([expect.objectContaining({ message: 'User (role: guests) missing scope (account)', extensions: { category: 'appwrite' }, path: ['accountGet'] })]);
  });
});

describe('GraphQL limits and malformed requests', () => {
  const headers = () => ({ 'x-appwrite-project': session.projectId, 'x-appwrite-key': session.key, 'x-forwarded-for': testIp() });
  const post = (body: unknown, extra: Record<string, string> = {}) => raw<Result & { type?: string; code?: number }>('POST', '/graphql', { ...headers(), ...extra }, body);

  it('refuses an empty query (400 graphql_no_query) and a batch above _APP_GRAPHQL_MAX_BATCH_SIZE (400 graphql_too_many_queries)', async () => {
    expect(await failure(graphql.query({ query: '' }))).toEqual({ code: 400, type: 'graphql_no_query' });
    expect(await failure(graphql.query([]))).toEqual({ code: 400, type: 'graphql_no_query' });
    const eleven = Array.from({ length: 11 }, () => ({ query: '{ localeGet { ip } }' }));
    expect(await failure(graphql.query(eleven))).toEqual({ code: 400, type: 'graphql_too_many_queries' });
    const ten = (await graphql.query(eleven.slice(1))) as unknown as Result[];
    expect(ten).toHaveLength(10);
  });

  it('refuses queries deeper than _APP_GRAPHQL_MAX_DEPTH and costlier than _APP_GRAPHQL_MAX_COMPLEXITY (category graphql)', async () => {
    const deep = (await graphql.query({ query: '{ databasesListCollections(databaseId: "x") { collections { attributes { ... on AttributeString { key } } } } }' })) as unknown as Result;
    expect(deep).toEqual({ errors: [{ message: 'Max query depth should be 3 but got 4.', extensions: { category: 'graphql' }, locations: [{ line: 1, column: 1 }] }] });
    // (1 total + 2 for documents{_id}) × limit(100) = 300 > 250; with limit(10) it is 30.
    const costly = (await graphql.query({ query: '{ databasesListDocuments(databaseId: "x", collectionId: "y", queries: ["limit(100)"]) { total documents { _id } } }' })) as unknown as Result;
    expect(costly.errors).toEqual([{ message: 'Max query complexity should be 250 but got 300.', extensions: { category: 'graphql' }, locations: [{ line: 1, column: 1 }] }]);
    const cheap = (await graphql.query({ query: '{ databasesListDocuments(databaseId: "x", collectionId: "y", queries: ["limit(10)"]) { total documents { _id } } }' })) as unknown as Result;
    expect(cheap.errors).toEqual([expect.objectContaining({ message: 'No database with the requested ID was found.', extensions: { category: 'appwrite' } })]);
    const introspection = (await graphql.query({ query: '{ __schema { queryType { name } } }' })) as unknown as Result;
    expect(introspection.errors![0].message).toBe('GraphQL introspection is not allowed, but the query contained __schema or __type');
  });

  it('answers malformed bodies with errors, never a 500', async () => {
    const badJson = await raw('POST', '/graphql', { ...headers(), 'content-type': 'application/json' });
    expect(badJson.status).toBe(400);
    const broken = await fetch(`${endpoint()}/graphql`, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body: '{"query": "{ localeGet { ip } }"' });
    expect([broken.status, ((await broken.json()) as { type: string }).type]).toEqual([400, 'general_argument_invalid']);

    const cases: [unknown, string][] = [
      [{ query: 42 }, 'The query must be a string.'],
      [{ query: '{ localeGet { ip } }', variables: 'not json' }, 'The variables must be a JSON object.'],
      [{ query: '{ localeGet { ip } }', variables: [1, 2] }, 'The variables must be a JSON object.'],
      [{ query: '{ localeGet { ip } }', operationName: 7 }, 'The operationName must be a string.'],
      [{ query: '{ localeGet { nope } }' }, 'Cannot query field "nope" on type "Locale".'],
      [{ query: '{ noSuchField }' }, 'Cannot query field "noSuchField" on type "Query".'],
      [{ query: '{ localeGet { ip }' }, 'Syntax Error: Expected Name, found <EOF>.'],
      [{ query: 'query($n: Int!) { usersList(queries: [$n]) { total } }', variables: { n: 'x' } }, 'Variable "$n" of type "Int!" used in position expecting type "String".'],
      [{ query: 'query($q: [String]) { usersList(queries: $q) { total } }', variables: { q: { a: 1 } } }, 'Variable "$q" got invalid value { a: 1 }; String cannot represent a non string value: { a: 1 }'],
      [{ query: 'mutation { usersCreate(userId: 5) { _id } }' }, 'String cannot represent a non string value: 5'],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect([body, res.status, res.body.errors?.[0]?.message, res.body.errors?.[0]?.extensions]).toEqual([body, 200, message, { category: 'graphql' }]);
    }
    const missingArgument = await post({ query: 'mutation { usersCreate { _id } }' });
    expect(missingArgument.body.errors?.[0].message).toBe('Field "usersCreate" argument "userId" of type "String!" is required, but it was not provided.');
    const brokenMultipart = new FormData();
    brokenMultipart.append('operations', '{not json');
    brokenMultipart.append('map', '{}');
    const multipart = await fetch(`${endpoint()}/graphql`, { method: 'POST', headers: headers(), body: brokenMultipart });
    expect([multipart.status, ((await multipart.json()) as { type: string }).type]).toEqual([400, 'general_argument_invalid']);
  });

  it('serves GET /v1/graphql for queries and application/graphql bodies, and keeps mutations off GET', async () => {
    const get = await raw<Result>('GET', `/graphql?query=${encodeURIComponent('query($x: Boolean!) { localeListCurrencies @include(if: $x) { total } }')}&variables=${encodeURIComponent('{"x":true}')}`, headers());
    expect(get.body).toEqual({ data: { localeListCurrencies: { total: expect.any(Number) } } });
    const mutation = await raw<Result>('GET', `/graphql?query=${encodeURIComponent('mutation { accountDeleteSessions { status } }')}`, headers());
    expect([mutation.status, mutation.body.errors?.[0].message]).toEqual([200, 'Only queries run over GET; send mutations with POST.']);
    const text = await fetch(`${endpoint()}/graphql`, { method: 'POST', headers: { ...headers(), 'content-type': 'application/graphql' }, body: '{ localeListContinents { total } }' });
    expect(await text.json()).toEqual({ data: { localeListContinents: { total: 7 } } });
    // The slot header of GraphQL's inner requests means nothing on an outside request.
    const outside = await raw<{ total: number }>('GET', '/locale/continents', { ...headers(), 'x-appconda-graphql-answer': 'guess' });
    expect([outside.status, outside.body.total]).toEqual([200, 7]);
  });
});
