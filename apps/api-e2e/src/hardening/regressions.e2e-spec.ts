import { request } from 'node:http';

import { createFuzzFixtures, FuzzFixtures } from '@appconda/testing';
import { endpoint } from '../../support/console';

/**
 * One regression test per defect of issue 16 (the black-box fuzz run): each request once crashed the
 * process, answered 500 or answered outside Appwrite's error shape, against `appconda all`.
 */
const APPWRITE_ERROR = { message: expect.any(String), code: expect.any(Number), type: expect.any(String), version: expect.any(String) };

let fx: FuzzFixtures;
let base: string;

interface Answer {
  status: number;
  text: string;
  json: () => Record<string, unknown>;
}

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

/**
 * A POST announcing a body over the API's 10 MB limit: Fastify refuses it from the content-length before
 * reading it, so only the first bytes are sent and the answer is read.
 */
function sendOversized(path: string, size: number): Promise<Answer> {
  const url = new URL(`${base}${path}`);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...keyHeaders(), 'content-length': size } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        outgoing.destroy();
        resolve({ status: response.statusCode ?? 0, text, json: () => JSON.parse(text) });
      });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    outgoing.write(`{"teamId":"unique()","name":"${'x'.repeat(1024)}`);
  });
}

const keyHeaders = () => ({ 'x-appwrite-project': fx.projectId, 'x-appwrite-key': fx.key, 'content-type': 'application/json' });
const json = (value: unknown) => JSON.stringify(value);

function expectError(answer: Answer, status: number, type: string): void {
  expect({ status: answer.status, body: answer.json() }).toEqual({ status, body: { ...APPWRITE_ERROR, code: status, type } });
}

async function expectUp(): Promise<void> {
  expect((await send('GET', '/health/version')).status).toBe(200);
}

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < depth; level++) value = { a: value };
  return value;
}

beforeAll(async () => {
  base = endpoint();
  fx = await createFuzzFixtures(base, 'regress');
}, 60_000);

describe('issue 16 regressions', () => {
  const collectionPath = () => `/databases/${fx.ids.databaseId[0]}/collections/${fx.ids.collectionId[0]}`;

  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'])('an unauthenticated ?%s[]=1 no longer ends the process', async (name) => {
    for (const query of [`${name}[]=1`, `${name}[0]=1`, `${name}=x`]) {
      const answer = await send('GET', `/storage/buckets?${query}`, { 'x-appwrite-project': fx.projectId });
      expectError(answer, 401, 'general_unauthorized_scope');
    }
    await expectUp();
  });

  it('a bad percent-escape in the path and a path param over 100 characters are 400 general_argument_invalid', async () => {
    expectError(await send('GET', '/users/%zz', keyHeaders()), 400, 'general_argument_invalid');
    expectError(await send('GET', `/users/${'a'.repeat(101)}`, keyHeaders()), 400, 'general_argument_invalid');
  });

  it('headers over Node’s limit answer in the Appwrite shape', async () => {
    expectError(await send('GET', `/users?search=${'a'.repeat(20_000)}`, keyHeaders()), 400, 'general_argument_invalid');
  });

  it('a JSON array body is 400 before any validation or SQL (unauthenticated email session, user creation)', async () => {
    expectError(await send('POST', '/account/sessions/email', { 'x-appwrite-project': fx.projectId, 'content-type': 'application/json' }, '[]'), 400, 'general_argument_invalid');
    expectError(await send('POST', '/users', keyHeaders(), '[{"userId":"unique()"}]'), 400, 'general_argument_invalid');
  });

  it('a body nested 10,000 deep is 400, malformed JSON is 400, an unsupported content type is 400, a body over the limit is 400', async () => {
    expectError(await send('POST', '/teams', keyHeaders(), `{"teamId":"unique()","name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`), 400, 'general_argument_invalid');
    expectError(await send('POST', '/teams', keyHeaders(), '{"teamId":'), 400, 'general_argument_invalid');
    expectError(await send('POST', '/teams', { ...keyHeaders(), 'content-type': 'application/xml' }, '<team/>'), 400, 'general_argument_invalid');
    expectError(await sendOversized('/teams', 11 * 1024 * 1024), 400, 'general_argument_invalid');
  });

  it('search=% and other MATCH operators answer 200 on every list route with search', async () => {
    const lists = [
      '/users',
      '/teams',
      `/teams/${fx.ids.teamId[0]}/memberships`,
      '/databases',
      `/databases/${fx.ids.databaseId[0]}/collections`,
      '/storage/buckets',
      `/storage/buckets/${fx.ids.bucketId[0]}/files`,
    ];
    for (const path of lists) {
      for (const search of ['%', '%*', '+-*"()<>~@', "50% o'neil"]) {
        const answer = await send('GET', `${path}?search=${encodeURIComponent(search)}`, keyHeaders());
        expect({ path, search, status: answer.status }).toEqual({ path, search, status: 200 });
      }
    }
    const projects = await send('GET', '/projects?search=%25', { 'x-appwrite-project': 'console', cookie: fx.consoleCookie });
    expect(projects.status).toBe(200);
  });

  it('Query.search strips operator characters; search on an attribute without a full-text index is 400', async () => {
    const documents = await send('GET', `${collectionPath()}/documents?queries[]=${encodeURIComponent('search("title", "%")')}`, keyHeaders());
    expect(documents.status).toBe(200);
    const buckets = await send('GET', `/storage/buckets?queries[]=${encodeURIComponent('search("name", "fuzz")')}`, keyHeaders());
    expect(buckets.status).toBe(200);
    expectError(await send('GET', `/users?queries[]=${encodeURIComponent('search("name", "x")')}`, keyHeaders()), 400, 'general_argument_invalid');
    expectError(await send('GET', `${collectionPath()}/documents?queries[]=${encodeURIComponent('search("$id", "x")')}`, keyHeaders()), 400, 'general_argument_invalid');
  });

  it('prefs MariaDB would refuse (JSON_DEPTH 32 and more) are 400 (users, account, teams)', async () => {
    const body = json({ prefs: nested(32) });
    expectError(await send('PATCH', `/users/${fx.ids.userId[0]}/prefs`, keyHeaders(), body), 400, 'general_argument_invalid');
    expectError(await send('PATCH', '/account/prefs', { 'x-appwrite-project': fx.projectId, cookie: fx.userCookie, 'content-type': 'application/json' }, body), 400, 'general_argument_invalid');
    expectError(await send('PUT', `/teams/${fx.ids.teamId[0]}/prefs`, keyHeaders(), body), 400, 'general_argument_invalid');
    expect((await send('PATCH', `/users/${fx.ids.userId[0]}/prefs`, keyHeaders(), json({ prefs: nested(31) }))).status).toBe(200);
  });

  it('an imported password hash longer than its column is 400', async () => {
    for (const algorithm of ['bcrypt', 'md5', 'argon2', 'sha', 'phpass']) {
      const body = json({ userId: 'unique()', email: `long-${algorithm}@example.test`, password: 'p'.repeat(70_000) });
      expectError(await send('POST', `/users/${algorithm}`, keyHeaders(), body), 400, 'general_argument_invalid');
    }
  });

  it('avatar initials of a name with NUL and control characters render', async () => {
    for (const name of ['a\u0000b', '\u0007\u001b[31m', '\u0000']) {
      const answer = await fetch(`${base}/avatars/initials?name=${encodeURIComponent(name)}`, { headers: { 'x-appwrite-project': fx.projectId } });
      expect({ name, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ name, status: 200, type: 'image/png' });
      await answer.arrayBuffer();
    }
  });

  it('a multipart body whose boundary never appears, without a boundary or cut short is 400', async () => {
    const path = `/storage/buckets/${fx.ids.bucketId[0]}/files`;
    const part = '--b\r\ncontent-disposition: form-data; name="fileId"\r\n\r\nunique()\r\n';
    const headers = (contentType: string) => ({ 'x-appwrite-project': fx.projectId, 'x-appwrite-key': fx.key, 'content-type': contentType });
    expectError(await send('POST', path, headers('multipart/form-data; boundary=elsewhere'), `${part}--b--\r\n`), 400, 'general_argument_invalid');
    expectError(await send('POST', path, headers('multipart/form-data'), `${part}--b--\r\n`), 400, 'general_argument_invalid');
    expectError(await send('POST', path, headers('multipart/form-data; boundary=b'), part), 400, 'general_argument_invalid');
  });

  it('DTOs handed non-arrays (index attributes, enum elements, team and membership roles) are 400', async () => {
    expectError(await send('POST', `${collectionPath()}/indexes`, keyHeaders(), json({ key: 'ix_bad', type: 'key', attributes: 5 })), 400, 'general_argument_invalid');
    expectError(await send('POST', `${collectionPath()}/indexes`, keyHeaders(), json({ key: 'ix_bad', type: 'key', attributes: null })), 400, 'general_argument_invalid');
    expectError(await send('POST', `${collectionPath()}/attributes/enum`, keyHeaders(), json({ key: 'en_bad', elements: 5, required: false })), 400, 'general_argument_invalid');
    expectError(await send('POST', `${collectionPath()}/attributes/enum`, keyHeaders(), json({ key: 'en_bad', elements: null, required: false })), 400, 'general_argument_invalid');
    expectError(await send('POST', '/teams', keyHeaders(), json({ teamId: 'unique()', name: 'x', roles: 5 })), 400, 'general_argument_invalid');
    const membership = json({ email: 'member@example.test', roles: null, url: 'http://localhost/' });
    expectError(await send('POST', `/teams/${fx.ids.teamId[0]}/memberships`, keyHeaders(), membership), 400, 'general_argument_invalid');
    await expectUp();
  });
});
