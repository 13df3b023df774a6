import fc, { Arbitrary } from 'fast-check';

import { CatalogueField, CatalogueRoute } from '../route-catalogue';
import { FuzzFixtures } from './fuzz-fixtures';

/** Who a fuzzed request claims to be. */
export type AuthMix = 'none' | 'key' | 'session' | 'jwt' | 'admin' | 'console' | 'bad-key' | 'bad-jwt' | 'bad-cookie' | 'no-project';

export const AUTH_MIXES: readonly AuthMix[] = ['none', 'key', 'session', 'jwt', 'admin', 'console', 'bad-key', 'bad-jwt', 'bad-cookie', 'no-project'];

/** One generated request: a path with its query string (sent byte for byte), headers and body. */
export interface FuzzRequest {
  /** `METHOD /v1/path/:param` of the catalogue route it was generated for. */
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  auth: AuthMix;
}

/**
 * Routes whose valid-looking input would reach beyond loopback (an enabled OAuth2 provider makes the
 * callback call the provider): they get hostile input only.
 */
const HOSTILE_ONLY = new Set(['PATCH /v1/projects/:projectId/oauth2']);

/** Values any string field may receive: prototype names, operators, control characters, odd numbers, long ids. */
const NASTY_STRINGS = [
  '',
  ' ',
  '%',
  '*',
  '"',
  "'",
  '\\',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '\r\n\r\nX-Injected: 1',
  '../../../../etc/passwd',
  'unique()',
  'null',
  'undefined',
  'true',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '%00',
  '%zz',
  '\ud800',
  '😀'.repeat(40),
  '+-*"()<>~@',
  '"a" -b +c* (d) <e >f ~g @h',
  "'; DROP TABLE users; --",
  'a'.repeat(37),
  'a'.repeat(129),
  'http://127.0.0.1:9/x',
  'javascript:alert(1)',
  'user@example.test',
  '+15555550123',
  '2023-01-01T00:00:00.000+00:00',
];

/** Strings a list route's `search` param may get: 1.3 reduces MATCH input; these are what MATCH chokes on. */
const SEARCH_STRINGS = ['%', '*', '+', '-', '"', '"unterminated', '()', '(a', '@', '@3', '<>', '~', '+-', '*a*', 'a*b', '" OR 1=1 --', '\u0000', '', ' ', '😀', 'x'.repeat(300)];

const QUERY_METHODS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanEqual',
  'greaterThan',
  'greaterThanEqual',
  'search',
  'isNull',
  'isNotNull',
  'between',
  'startsWith',
  'endsWith',
  'select',
  'orderAsc',
  'orderDesc',
  'limit',
  'offset',
  'cursorAfter',
  'cursorBefore',
  'contains',
  'nope',
];

const ATTRIBUTES = ['title', 'rank', 'name', 'email', 'phone', 'status', '$id', '$createdAt', '$updatedAt', '$permissions', '$internalId', 'search', 'unknownAttribute', '', '__proto__', 'title`', 'a'.repeat(200)];

const nastyString = (): Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 48 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  );

const hugeString = (): Arbitrary<string> => fc.tuple(fc.integer({ min: 4_097, max: 70_000 }), fc.constantFrom('x', 'é', '😀', '\u0000', '%')).map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** JSON nested `depth` levels deep, as arrays or objects (values: stays within what JSON.stringify can recurse). */
const deepJson = (): Arbitrary<unknown> =>
  fc.tuple(fc.oneof(fc.integer({ min: 20, max: 70 }), fc.integer({ min: 500, max: 1_500 })), fc.boolean()).map(([depth, arrays]) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
    return value;
  });

/** Any JSON value of the wrong shape for whatever the field expects. */
const hostileValue = (): Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: nastyString() },
    { weight: 1, arbitrary: hugeString() },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, [], {}, [null], [[]], { $id: 'x' }, ['a', 1, null]) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double().filter(Number.isFinite) },
    { weight: 1, arbitrary: fc.array(nastyString(), { maxLength: 6 }) },
    { weight: 1, arbitrary: fc.array(fc.constant('x'), { minLength: 101, maxLength: 400 }) },
    { weight: 1, arbitrary: fc.dictionary(nastyString(), nastyString(), { maxKeys: 4 }) },
    { weight: 1, arbitrary: deepJson() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  );

/** A value that fits the field's declared type and rules, so the request gets past validation. */
function plausibleValue(field: CatalogueField): Arbitrary<unknown> {
  if (field.values?.length) return fc.constantFrom(...field.values);
  const name = field.name.toLowerCase();
  if (name.endsWith('id')) return fc.constantFrom('unique()', 'fuzz-id', 'a.b-c_d');
  if (name === 'url' || name === 'hostname') return fc.constantFrom('http://127.0.0.1:9/x', 'http://localhost/', 'localhost');
  if (name.includes('email')) return fc.constantFrom('fuzz@example.test', 'a@b.co');
  if (name.includes('password')) return fc.oneof(fc.constantFrom('password123', 'p'.repeat(8)), hugeString());
  if (name === 'permissions') return fc.constantFrom(['read("any")'], ['write("users")', 'read("team:x/owner")'], ['read("nope")']);
  if (name === 'prefs' || name === 'data') return fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }), deepJson());
  switch (field.type) {
    case 'number':
      return fc.oneof(fc.integer({ min: -10, max: 10_000 }), fc.constantFrom(0, 2 ** 31, -(2 ** 31) - 1));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fc.oneof(fc.constantFrom('title', 'rank', 'owner', 'a', 'users.read'), nastyString()), { maxLength: 5 });
    case 'object':
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    default:
      return fc.oneof(fc.string({ maxLength: 20 }), fc.string({ maxLength: (field.maxLength ?? 64) + 2 }));
  }
}

function fieldValue(field: CatalogueField, hostileOnly: boolean): Arbitrary<unknown> {
  return hostileOnly ? hostileValue() : fc.oneof({ weight: 3, arbitrary: plausibleValue(field) }, { weight: 2, arbitrary: hostileValue() });
}

/** Body keys tried on routes that read their body without a DTO (documents, files). */
const GENERIC_FIELDS: CatalogueField[] = ['documentId', 'data', 'permissions', 'fileId', 'name', 'queries', 'key', 'size', 'required', 'default'].map((name) => ({
  name,
  type: name === 'data' ? 'object' : name === 'permissions' || name === 'queries' ? 'array' : name === 'size' ? 'number' : name === 'required' ? 'boolean' : 'string',
  optional: true,
  rules: [],
  each: false,
}));

function bodyObject(fields: CatalogueField[], hostileOnly: boolean): Arbitrary<Record<string, unknown>> {
  const record: Record<string, Arbitrary<unknown>> = {};
  for (const field of fields) record[field.name] = fieldValue(field, hostileOnly);
  const extras = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', '$id', 'extra', 'prototype'), hostileValue(), { maxKeys: 2 });
  return fc.tuple(fc.record(record, { requiredKeys: [] }), fc.option(extras, { freq: 4 })).map(([body, extra]) => ({ ...body, ...(extra ?? {}) }));
}

/** A 1.3 query string: well-formed with odd attributes/values, or malformed syntax. */
export const queryString = (): Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...QUERY_METHODS), fc.constantFrom(...ATTRIBUTES), fc.array(fc.oneof(nastyString(), fc.integer(), fc.boolean(), fc.constant(null), fc.double().filter(Number.isFinite)), { maxLength: 4 }), fc.nat(3))
        .map(([method, attribute, values, form]) => {
          if (method === 'limit' || method === 'offset') return `${method}(${form ? JSON.stringify(values[0] ?? -1) : 25})`;
          if (method === 'cursorAfter' || method === 'cursorBefore') return `${method}(${JSON.stringify(values[0] ?? 'x')})`;
          if (method === 'orderAsc' || method === 'orderDesc' || method === 'isNull' || method === 'isNotNull') return `${method}(${JSON.stringify(attribute)})`;
          if (method === 'select') return `select(${JSON.stringify([attribute, ...values])})`;
          const list = form === 0 ? JSON.stringify(values[0] ?? '') : JSON.stringify(values);
          return `${method}(${JSON.stringify(attribute)}, ${list})`;
        }),
    },
    { weight: 1, arbitrary: nastyString() },
    { weight: 1, arbitrary: fc.constantFrom('equal(', 'equal("title"', 'equal("title", ["a"]', 'equal("title", ["a"]))', 'search("title", "%")', 'search("rank", "x")', 'search("$id", "x")', 'equal(title, [a])', 'limit(99999999999999999999)', 'offset(-1)', 'cursorAfter("")', '()', ')(', '"', 'equal("title", ["\\"])') },
  );

/** Encodes an array param in one of the three SDK forms (PROTOCOL §1). */
function encodeArray(name: string, values: string[], form: number): string {
  return values.map((value, index) => `${form === 0 ? `${name}[]` : form === 1 ? `${name}[${index}]` : name}=${encode(value)}`).join('&');
}

function queryPart(route: CatalogueRoute, hostileOnly: boolean): Arbitrary<string> {
  const fields = (route.query?.fields ?? []).filter((field) => field.name !== 'queries' && field.name !== 'search');
  const values = fc.record(Object.fromEntries(fields.map((field) => [field.name, fieldValue(field, hostileOnly).map(asQueryValue)])), { requiredKeys: [] });
  const queries = fc.option(
    fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.array(queryString(), { maxLength: 5 }) }, { weight: 1, arbitrary: fc.array(fc.constant('limit(1)'), { minLength: 101, maxLength: 300 }) }), fc.nat(2)),
    { freq: 2 },
  );
  const search = fc.option(fc.oneof(fc.constantFrom(...SEARCH_STRINGS), nastyString()), { freq: 3 });
  const extras = fc.option(
    fc.constantFrom('toString[]=1', 'constructor[0]=1', '__proto__=x', '__proto__[a]=1', 'hasOwnProperty[]=1', 'queries[0][x]=1', 'project=console', 'search[]=a', 'queries=%zz', 'limit=-1', 'a%00b=c'),
    { freq: 4 },
  );
  return fc.tuple(values, queries, search, extras).map(([record, list, text, extra]) =>
    [
      ...Object.entries(record).map(([name, value]) => (Array.isArray(value) ? encodeArray(name, value.map(String), 0) : `${name}=${encode(String(value))}`)),
      list ? encodeArray('queries', list[0], list[1]) : '',
      text !== null ? `search=${encode(text)}` : '',
      extra ?? '',
    ]
      .filter(Boolean)
      .join('&'),
  );
}

function asQueryValue(value: unknown): string | string[] {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item) ?? ''));
  if (typeof value === 'string') return value.length > 6_000 ? value.slice(0, 6_000) : value;
  return JSON.stringify(value) ?? '';
}

function pathPart(route: CatalogueRoute, fixtures: FuzzFixtures): Arbitrary<string> {
  const segments = route.pathParams.map((name) =>
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...(fixtures.ids[name] ?? ['unknown'])).map(encode) },
      { weight: 3, arbitrary: nastyString().map((value) => encode(value) || 'x') },
      { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%c0%ae', '%E0%A4%A', '..', '%2e%2e', 'a'.repeat(101), 'a'.repeat(2_000), '%00', ';x=1') },
    ),
  );
  return fc.tuple(...segments).map((values) => {
    let index = 0;
    return route.path.replace(/:([A-Za-z0-9_]+)/g, () => values[index++]);
  });
}

/** encodeURIComponent that accepts lone surrogates (sent as U+FFFD, as a browser would). */
function encode(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The body and content type: JSON of the DTO's fields, a wrong-shaped JSON body, multipart, or odd content types. */
function bodyPart(route: CatalogueRoute, hostileOnly: boolean): Arbitrary<{ contentType?: string; body?: string | Buffer }> {
  const fields = route.body?.fields ?? GENERIC_FIELDS;
  const object = bodyObject(fields, hostileOnly);
  const json = object.map((value) => ({ contentType: 'application/json', body: JSON.stringify(value) }));
  const wrongShape = fc
    .oneof(
      fc.constantFrom('[]', '[{}]', '"x"', '1', 'null', 'true', '{"a":', '{', '{"a":1}}', '\u0000', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}'),
      deepJson().map((value) => JSON.stringify(value)),
      // Bodies nested ~10,000 deep used to overflow the stack in validation; written as text.
      fc.tuple(fc.integer({ min: 5_000, max: 12_000 }), fc.boolean()).map(([depth, arrays]) => (arrays ? `{"data":${'['.repeat(depth)}${']'.repeat(depth)}}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
      fc.array(object, { minLength: 1, maxLength: 2 }).map((value) => JSON.stringify(value)),
    )
    .map((body) => ({ contentType: 'application/json', body }));
  const multipart = fc.tuple(object, fc.nat(3)).map(([value, variant]) => {
    const boundary = 'fuzzboundary';
    const parts = Object.entries(value).map(([name, field]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${typeof field === 'string' ? field : JSON.stringify(field)}\r\n`);
    const file = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.txt"\r\ncontent-type: text/plain\r\n\r\nhello\r\n`;
    const body = parts.join('') + (variant === 0 ? file : '') + (variant === 1 ? '' : `--${boundary}--\r\n`);
    // variant 2: a boundary declared but never present in the body; variant 3: no boundary parameter at all.
    const contentType = variant === 3 ? 'multipart/form-data' : `multipart/form-data; boundary=${variant === 2 ? 'elsewhere' : boundary}`;
    return { contentType, body };
  });
  const odd = fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/xml', 'application/json; charset=utf-99', 'image/png', ';;', ''), object).map(([contentType, value]) => ({ contentType: contentType || undefined, body: JSON.stringify(value) }));
  const none = fc.constant({});
  if (!BODY_METHODS.has(route.method)) return fc.oneof({ weight: 8, arbitrary: none }, { weight: 1, arbitrary: odd });
  return fc.oneof({ weight: 8, arbitrary: json }, { weight: 2, arbitrary: wrongShape }, { weight: 2, arbitrary: multipart }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: none });
}

function randomIp(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255 || 1}`;
}

/** Headers of an auth mix (and a spread of client IPs, so abuse limits answer 429 only now and then). */
export function authHeaders(auth: AuthMix, fixtures: FuzzFixtures, ipSeed: number): Record<string, string> {
  const project = { 'x-appwrite-project': fixtures.projectId, 'x-forwarded-for': randomIp(ipSeed) };
  switch (auth) {
    case 'key':
      return { ...project, 'x-appwrite-key': fixtures.key };
    case 'session':
      return { ...project, cookie: fixtures.userCookie };
    case 'jwt':
      return { ...project, 'x-appwrite-jwt': fixtures.jwt };
    case 'admin':
      return { ...project, 'x-appwrite-mode': 'admin', cookie: fixtures.consoleCookie };
    case 'console':
      return { ...project, 'x-appwrite-project': 'console', cookie: fixtures.consoleCookie };
    case 'bad-key':
      return { ...project, 'x-appwrite-key': `${fixtures.key.slice(0, 20)}%00${'f'.repeat(300)}` };
    case 'bad-jwt':
      return { ...project, 'x-appwrite-jwt': 'eyJhbGciOiJub25lIn0.eyJ1c2VySWQiOiJ4In0.' };
    case 'bad-cookie':
      return { ...project, cookie: `a_session_${fixtures.projectId}=%zz%00; a_session_${fixtures.projectId}_legacy=x`, 'x-fallback-cookies': '{"a_session_x":' };
    case 'no-project':
      return { 'x-forwarded-for': randomIp(ipSeed) };
    default:
      return project;
  }
}

/** Every request a route can get: hostile path params, query params, `queries[]`, bodies, content types and auth mixes. */
export function requestArbitrary(route: CatalogueRoute, fixtures: FuzzFixtures): Arbitrary<FuzzRequest> {
  const key = `${route.method} ${route.path}`;
  const hostileOnly = HOSTILE_ONLY.has(key);
  const method = route.method === 'ALL' ? 'GET' : route.method;
  return fc
    .tuple(pathPart(route, fixtures), queryPart(route, hostileOnly), bodyPart({ ...route, method }, hostileOnly), fc.constantFrom(...AUTH_MIXES), fc.nat(2 ** 24 - 1))
    .map(([path, query, { contentType, body }, auth, ipSeed]) => {
      const headers = authHeaders(auth, fixtures, ipSeed);
      if (contentType) headers['content-type'] = contentType;
      return { route: key, method, path: query ? `${path}?${query}` : path, headers, body, auth };
    });
}
