import { API_KEY_SCOPES } from '@appconda/contracts';
import { randomBytes } from 'node:crypto';

/**
 * Real resources of one throw-away project, so fuzzed requests reach past "not found" into the
 * handlers: a console admin (cookie), a project with an all-scopes key, a project user with a
 * session cookie and a JWT, and one of each resource a path can name.
 */
export interface FuzzFixtures {
  endpoint: string;
  projectId: string;
  /** Raw secret of an API key with every scope. */
  key: string;
  /** `a_session_console=…` of the console user (admin mode on the project). */
  consoleCookie: string;
  /** `a_session_<projectId>=…` of a project user. */
  userCookie: string;
  jwt: string;
  /** Real values per path param name (`databaseId`, `bucketId`, `teamId`, …). */
  ids: Record<string, string[]>;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** An IP of its own per fixture set, so the sign-up/session abuse limits of one run never hit another. */
function testIp(): string {
  const bytes = randomBytes(3);
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2] || 1}`;
}

async function call(endpoint: string, method: string, path: string, headers: Record<string, string>, body?: unknown, retried = false): Promise<Answer> {
  const isForm = body instanceof FormData;
  let response: Response;
  try {
    response = await fetch(`${endpoint}${path}`, {
      method,
      headers: isForm ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  } catch (error) {
    // A pooled keep-alive connection the server had just closed ("other side closed"): once more on a new one.
    if (retried) throw error;
    return call(endpoint, method, path, headers, body, true);
  }
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

function expectStatus(answer: Answer, status: number, what: string): Record<string, unknown> {
  if (answer.status !== status) throw new Error(`fuzz fixtures: ${what} answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

function cookieOf(headers: Headers, name: string): string {
  const cookie = headers.getSetCookie().find((value) => value.startsWith(`${name}=`));
  if (!cookie) throw new Error(`fuzz fixtures: no ${name} cookie`);
  return cookie.split(';')[0];
}

/** Waits until the collection's attributes and indexes left `processing` (worker-databases builds them). */
async function settle(endpoint: string, headers: Record<string, string>, path: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const answer = await call(endpoint, 'GET', path, headers);
    const items = [...((answer.body.attributes as { status: string }[]) ?? []), ...((answer.body.indexes as { status: string }[]) ?? [])];
    if (answer.status === 200 && items.every((item) => item.status !== 'processing')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Signs up a console user, creates an organization, a project, an all-scopes key, a web platform,
 * then through the key a database, a collection (string/integer attributes, a full-text index, a
 * document), a bucket with a file, a team, a user with a session and a JWT, a webhook.
 */
export async function createFuzzFixtures(endpoint: string, name = 'fuzz'): Promise<FuzzFixtures> {
  const ip = testIp();
  const email = `${name}-${randomBytes(5).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const consoleHeaders = { 'x-appwrite-project': 'console', 'x-forwarded-for': ip };
  expectStatus(await call(endpoint, 'POST', '/account', consoleHeaders, { userId: 'unique()', email, password, name }), 201, 'console sign-up');
  const login = await call(endpoint, 'POST', '/account/sessions/email', consoleHeaders, { email, password });
  expectStatus(login, 201, 'console sign-in');
  const consoleCookie = cookieOf(login.headers, 'a_session_console');
  const admin = { ...consoleHeaders, cookie: consoleCookie };
  const team = expectStatus(await call(endpoint, 'POST', '/teams', admin, { teamId: 'unique()', name: `${name} organization` }), 201, 'organization');
  const project = expectStatus(await call(endpoint, 'POST', '/projects', admin, { projectId: 'unique()', name: `${name} project`, teamId: team.$id }), 201, 'project');
  const projectId = String(project.$id);
  const key = expectStatus(await call(endpoint, 'POST', `/projects/${projectId}/keys`, admin, { name: 'everything', scopes: [...API_KEY_SCOPES] }), 201, 'key');
  const platform = expectStatus(await call(endpoint, 'POST', `/projects/${projectId}/platforms`, admin, { type: 'web', name: 'localhost', hostname: 'localhost' }), 201, 'platform');
  const webhook = expectStatus(
    await call(endpoint, 'POST', `/projects/${projectId}/webhooks`, admin, { name: 'loopback', events: ['users.*.create'], url: 'http://127.0.0.1:9/hook', security: false }),
    201,
    'webhook',
  );

  const server = { 'x-appwrite-project': projectId, 'x-appwrite-key': String(key.secret), 'x-forwarded-for': ip };
  const database = expectStatus(await call(endpoint, 'POST', '/databases', server, { databaseId: 'unique()', name: 'fuzz' }), 201, 'database');
  const databaseId = String(database.$id);
  const collection = expectStatus(
    await call(endpoint, 'POST', `/databases/${databaseId}/collections`, server, { collectionId: 'unique()', name: 'things', permissions: ['read("any")', 'create("any")', 'update("any")', 'delete("any")'], documentSecurity: true }),
    201,
    'collection',
  );
  const collectionId = String(collection.$id);
  const collectionPath = `/databases/${databaseId}/collections/${collectionId}`;
  expectStatus(await call(endpoint, 'POST', `${collectionPath}/attributes/string`, server, { key: 'title', size: 64, required: false }), 202, 'string attribute');
  expectStatus(await call(endpoint, 'POST', `${collectionPath}/attributes/integer`, server, { key: 'rank', required: false }), 202, 'integer attribute');
  await settle(endpoint, server, collectionPath);
  expectStatus(await call(endpoint, 'POST', `${collectionPath}/indexes`, server, { key: 'title_search', type: 'fulltext', attributes: ['title'] }), 202, 'full-text index');
  await settle(endpoint, server, collectionPath);
  const document = expectStatus(await call(endpoint, 'POST', `${collectionPath}/documents`, server, { documentId: 'unique()', data: { title: 'hello fuzz', rank: 1 } }), 201, 'document');

  const bucket = expectStatus(await call(endpoint, 'POST', '/storage/buckets', server, { bucketId: 'unique()', name: 'fuzz', permissions: ['read("any")', 'create("any")'], fileSecurity: false }), 201, 'bucket');
  const bucketId = String(bucket.$id);
  const form = new FormData();
  form.append('fileId', 'unique()');
  form.append('file', new Blob([Buffer.from('fuzz file')], { type: 'text/plain' }), 'fuzz.txt');
  const file = expectStatus(await call(endpoint, 'POST', `/storage/buckets/${bucketId}/files`, server, form), 201, 'file');

  const userPassword = `pw-${randomBytes(8).toString('hex')}`;
  const userEmail = `user-${randomBytes(5).toString('hex')}@example.test`;
  const user = expectStatus(await call(endpoint, 'POST', '/users', server, { userId: 'unique()', email: userEmail, password: userPassword, name: 'fuzz user' }), 201, 'user');
  const clientHeaders = { 'x-appwrite-project': projectId, 'x-forwarded-for': ip };
  const session = await call(endpoint, 'POST', '/account/sessions/email', clientHeaders, { email: userEmail, password: userPassword });
  const sessionBody = expectStatus(session, 201, 'user session');
  const userCookie = cookieOf(session.headers, `a_session_${projectId}`);
  const jwt = expectStatus(await call(endpoint, 'POST', '/account/jwt', { ...clientHeaders, cookie: userCookie }), 201, 'jwt');
  const userTeam = expectStatus(await call(endpoint, 'POST', '/teams', server, { teamId: 'unique()', name: 'fuzz team' }), 201, 'team');
  const memberships = expectStatus(await call(endpoint, 'GET', `/teams/${userTeam.$id}/memberships`, server), 200, 'memberships');
  const membershipId = ((memberships.memberships as { $id: string }[])[0]?.$id as string | undefined) ?? 'none';

  return {
    endpoint,
    projectId,
    key: String(key.secret),
    consoleCookie,
    userCookie,
    jwt: String(jwt.jwt),
    ids: {
      projectId: [projectId],
      keyId: [String(key.$id)],
      platformId: [String(platform.$id)],
      webhookId: [String(webhook.$id)],
      domainId: ['none'],
      databaseId: [databaseId, 'default'],
      collectionId: [collectionId],
      documentId: [String(document.$id)],
      key: ['title', 'rank', 'title_search'],
      bucketId: [bucketId, 'default'],
      fileId: [String(file.$id)],
      teamId: [String(userTeam.$id), String(team.$id)],
      membershipId: [membershipId],
      userId: [String(user.$id)],
      sessionId: [String(sessionBody.$id), 'current'],
      provider: ['github', 'google', 'amazon'],
      method: ['email-password', 'anonymous', 'magic-url', 'invites', 'jwt', 'phone'],
      code: ['ch', 'ff', 'us', 'visa', 'amex'],
    },
  };
}
