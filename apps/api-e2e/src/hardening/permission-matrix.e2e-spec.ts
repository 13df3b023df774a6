import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_KEY_SCOPES, Role, scopesForRole } from '@appconda/contracts';
import { AuthType } from '@appconda/core';
import { CatalogueRoute, routeCatalogue, routePath } from '@appconda/testing';

import { ApiModule } from '../../../api/src/api.module';
import { endpoint } from '../../support/console';
import { signedInUser } from '../../support/identity-clients';
import { callerIp, fallbackCookies, MatrixWorld, seedMatrixWorld } from './permission-matrix.support';

/**
 * Who a caller is once 1.3's identity rules ran: the role whose scopes it holds, how it authenticated,
 * and what it is to the seeded resources (`owner` = A, who owns team T and the private document and
 * file; `member` = C, a plain member of T; `other` = B; `guest`; `privileged` = keys and console admins,
 * for whom 1.3 switches item permissions off; `consoleMember` = a plain member of the project's console
 * organization in admin mode: the users role, item permissions off, but no say over other teams' members).
 */
interface Caller {
  name: string;
  role: Role;
  auth: AuthType;
  /** Extra scopes (an API key's own). */
  scopes?: readonly string[];
  who: 'owner' | 'member' | 'other' | 'guest' | 'privileged' | 'consoleMember';
  headers: Record<string, string>;
}

type Expectation = 'allow' | 'deny-scope' | 'deny';

interface Pair {
  route: CatalogueRoute;
  caller: Caller;
  expected: Expectation;
  method: string;
  url: string;
  body?: unknown;
}

interface Outcome extends Pair {
  status: number;
  text: string;
  json?: Record<string, unknown>;
}

/** The console's own routes (project management) run against project `console`; the rest against P1. */
const consoleRoute = (route: CatalogueRoute) => /^\/v1\/(projects|console)(\/|$)/.test(route.path);

/**
 * Item rules beyond the scope gate (1.3: documentSecurity/fileSecurity, team roles), for the routes that
 * touch the seeded private items. `who` → allowed; anything not listed (and every privileged caller) is
 * allowed past the gate. Writes to team T and its memberships need the team's owner role.
 */
const ITEM_RULES: { test: RegExp; methods: string[]; allowed: Caller['who'][] }[] = [
  { test: /\/documents\/:documentId$|\/storage\/buckets\/:bucketId\/files\/:fileId(\/(download|view|preview))?$/, methods: ['GET'], allowed: ['owner', 'member'] },
  { test: /\/documents\/:documentId$|\/storage\/buckets\/:bucketId\/files\/:fileId$/, methods: ['PATCH', 'PUT', 'DELETE'], allowed: ['owner'] },
  { test: /^\/v1\/teams\/:teamId(\/prefs|\/memberships(\/:membershipId)?)?$/, methods: ['GET'], allowed: ['owner', 'member'] },
  { test: /^\/v1\/teams\/:teamId(\/prefs|\/memberships(\/:membershipId)?)?$/, methods: ['PUT', 'PATCH', 'POST', 'DELETE'], allowed: ['owner'] },
  // The collection and the bucket let users create (create("users")): guests may not.
  { test: /\/collections\/:collectionId\/documents$|^\/v1\/storage\/buckets\/:bucketId\/files$/, methods: ['POST'], allowed: ['owner', 'member', 'other'] },
  { test: /^\/v1\/projects\/:projectId/, methods: ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'], allowed: ['owner'] },
];

/** Routes whose allowed call would sign the caller out or block it: run once everything else is done. */
const LAST = new Set(['DELETE /v1/account/sessions', 'PATCH /v1/account/status']);

/** Error types that mean "refused", as opposed to a refused *input* (400) or a missing optional feature. */
const DENIALS = new Set(['general_unauthorized_scope', 'user_unauthorized']);
const ITEM_NOT_FOUND = /^(document|storage_file|team|membership|project)_not_found$/;

describe('permission matrix: every route × every kind of caller, as 1.3 decides (appconda all)', () => {
  let world: MatrixWorld;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    world = await seedMatrixWorld();
  }, 180_000);

  function callers(route: CatalogueRoute): Caller[] {
    const { o1, o2, p1, users, keys } = world;
    const project = consoleRoute(route) ? 'console' : p1;
    const base = (name: string, extra: Record<string, string> = {}) => ({ 'x-appwrite-project': project, 'x-forwarded-for': callerIp(name), ...extra });
    const renamed = (user: typeof users.d) => JSON.stringify({ [`a_session_${project}`]: Object.values(JSON.parse(fallbackCookies(user)) as Record<string, string>)[0] });
    const guestLike = (name: string, extra: Record<string, string>): Caller => ({ name, role: Role.Guests, auth: AuthType.Guest, who: 'guest', headers: base(name, extra) });
    const list: Caller[] = [guestLike('guest', {})];
    if (project === 'console') {
      // The console's own users: O1's owner manages P1, O2's owner is a stranger to it.
      list.push(
        { name: 'user', role: Role.Users, auth: AuthType.Session, who: 'owner', headers: base('user', { cookie: o1.cookie }) },
        { name: 'otherUser', role: Role.Users, auth: AuthType.Session, who: 'other', headers: base('otherUser', { cookie: o2.cookie }) },
        // A key, a project user's session and JWT mean nothing to the console project: guests.
        guestLike('key', { 'x-appwrite-key': keys.all }),
        guestLike('foreignSession', { 'x-fallback-cookies': renamed(users.a) }),
        guestLike('foreignJwt', { 'x-appwrite-jwt': world.foreignJwt }),
      );
      return list;
    }
    const session = (name: string, user: typeof users.a, who: Caller['who']): Caller => ({ name, role: Role.Users, auth: AuthType.Session, who, headers: base(name, { 'x-fallback-cookies': fallbackCookies(user) }) });
    const key = (name: string, secret: string, scopes: readonly string[]): Caller => ({ name, role: Role.Apps, auth: AuthType.Key, scopes, who: 'privileged', headers: base(name, { 'x-appwrite-key': secret }) });
    const keyScope = (API_KEY_SCOPES as readonly string[]).includes(route.route!.scope);
    list.push(session('user', users.a, 'owner'), session('otherUser', users.b, 'other'), session('teamMember', users.c, 'member'));
    if (keyScope) list.push(key('keyWithScope', keys.all, API_KEY_SCOPES), key('keyWithoutScope', keys.without[route.route!.scope], API_KEY_SCOPES.filter((s) => s !== route.route!.scope)));
    // A route whose scope no key can hold: the all-scopes key is the key without it.
    else list.push(key('keyWithoutScope', keys.all, API_KEY_SCOPES));
    list.push(
      // Another project's credentials replayed against P1 identify nobody there: guests.
      guestLike('foreignKey', { 'x-appwrite-key': world.o2.key }),
      guestLike('foreignSession', { 'x-fallback-cookies': renamed(users.d) }),
      guestLike('foreignJwt', { 'x-appwrite-jwt': world.foreignJwt }),
      // A console user of another organization in admin mode: not a member of P1's team, so a guest.
      guestLike('foreignAdmin', { cookie: o2.cookie, 'x-appwrite-mode': 'admin' }),
      { name: 'admin', role: Role.Owner, auth: AuthType.Admin, who: 'privileged', headers: base('admin', { cookie: o1.cookie, 'x-appwrite-mode': 'admin' }) },
      { name: 'consoleMember', role: Role.Users, auth: AuthType.Admin, who: 'consoleMember', headers: base('consoleMember', { cookie: world.consoleMemberCookie, 'x-appwrite-mode': 'admin' }) },
    );
    return list;
  }

  /** 1.3's gate (roles.json scopes, the key's scopes, the route's auth types), then the item rules. */
  function expectation(route: CatalogueRoute, caller: Caller): Expectation {
    const declaration = route.route!;
    const scopes = new Set<string>([...scopesForRole(caller.role), ...(caller.scopes ?? [])]);
    const accepted = declaration.auth.includes(caller.auth) || declaration.auth.includes(AuthType.Guest);
    if (!scopes.has(declaration.scope) || !accepted) return 'deny-scope';
    if (caller.who === 'privileged') return 'allow';
    // 1.3: inviting and changing roles need the team's owner role, a console owner/admin/developer or a key.
    if (caller.who === 'consoleMember') return /^\/v1\/teams\/:teamId\/memberships(\/:membershipId)?$/.test(route.path) && ['POST', 'PATCH'].includes(route.method) ? 'deny' : 'allow';
    const rule = ITEM_RULES.find((r) => r.test.test(route.path) && r.methods.includes(route.method));
    return rule && !rule.allowed.includes(caller.who) ? 'deny' : 'allow';
  }

  /** Real ids of the seeded items, except where an allowed call would destroy them (then a missing id). */
  function pathFor(route: CatalogueRoute, expected: Expectation): string {
    const { ids, p1, users } = world;
    const values: Record<string, string> = {
      databaseId: ids.databaseId,
      collectionId: ids.collectionId,
      key: route.path.includes('/indexes/') ? ids.indexKey : ids.attributeKey,
      documentId: ids.documentId,
      bucketId: ids.bucketId,
      fileId: ids.fileId,
      teamId: ids.teamId,
      // A member may leave a team: the refused membership deletions aim at the owner's membership.
      membershipId: route.method === 'DELETE' ? ids.ownerMembershipId : ids.memberMembershipId,
      userId: users.a.userId,
      sessionId: route.path.startsWith('/v1/account') ? 'current' : users.a.sessionId,
      projectId: p1,
      keyId: ids.keyId,
      platformId: ids.platformId,
      webhookId: ids.webhookId,
      domainId: 'missing-domain',
      provider: 'github',
      method: 'email-password',
      code: route.path.includes('flags') ? 'us' : route.path.includes('credit-cards') ? 'visa' : 'ch',
    };
    if (route.method === 'DELETE' && expected === 'allow' && route.pathParams.length > 0) values[route.pathParams[route.pathParams.length - 1]] = 'missing-id';
    return routePath(route, values);
  }

  /**
   * Bodies that pass validation wherever 1.3 decides by item permission or team role (validation comes
   * first in 1.3 too, so `{}` would only prove the 400). They rewrite what is already there, so an
   * allowed call leaves the seeded items as they were. `{}` elsewhere: the scope refusal comes first.
   */
  function bodyFor(route: CatalogueRoute, caller: Caller): unknown {
    if (route.method === 'GET') return undefined;
    const { o1, o2 } = world;
    const bodies: Record<string, unknown> = {
      'POST /v1/databases/:databaseId/collections/:collectionId/documents': { documentId: 'unique()', data: { title: 'created by the matrix' } },
      'PATCH /v1/databases/:databaseId/collections/:collectionId/documents/:documentId': { data: { title: 'private' } },
      'PUT /v1/teams/:teamId': { name: 'matrix team' },
      'PUT /v1/teams/:teamId/prefs': { prefs: {} },
      'PATCH /v1/teams/:teamId/memberships/:membershipId': { roles: [] },
      'POST /v1/teams/:teamId/memberships': { roles: [], url: 'http://localhost/join', email: `invitee-${Math.random().toString(36).slice(2)}@example.test` },
      'DELETE /v1/projects/:projectId': { password: caller.name === 'otherUser' ? o2.password : o1.password },
      'PATCH /v1/projects/:projectId': { name: 'matrix project' },
      'PATCH /v1/projects/:projectId/auth/:method': { status: true },
      'PATCH /v1/projects/:projectId/auth/duration': { duration: 31536000 },
      'PATCH /v1/projects/:projectId/auth/limit': { limit: 0 },
      'PATCH /v1/projects/:projectId/auth/max-sessions': { limit: 10 },
      'PATCH /v1/projects/:projectId/auth/password-dictionary': { enabled: false },
      'PATCH /v1/projects/:projectId/auth/password-history': { limit: 0 },
      'PATCH /v1/projects/:projectId/oauth2': { provider: 'github' },
      'PATCH /v1/projects/:projectId/service': { service: 'locale', status: true },
      'POST /v1/projects/:projectId/domains': { domain: 'matrix.example.com' },
      'POST /v1/projects/:projectId/keys': { name: 'matrix', scopes: [] },
      'PUT /v1/projects/:projectId/keys/:keyId': { name: 'everything', scopes: API_KEY_SCOPES },
      'POST /v1/projects/:projectId/platforms': { type: 'web', name: 'matrix', hostname: 'localhost' },
      'PUT /v1/projects/:projectId/platforms/:platformId': { name: 'localhost', hostname: 'localhost' },
      'POST /v1/projects/:projectId/webhooks': { name: 'matrix', events: ['teams.*.create'], url: 'http://127.0.0.1:9/never', security: false },
      'PUT /v1/projects/:projectId/webhooks/:webhookId': { name: 'matrix', events: ['teams.*.create'], url: 'http://127.0.0.1:9/never', security: false },
    };
    const body = bodies[`${route.method} ${route.path}`];
    if (body !== undefined) return body;
    return route.method === 'DELETE' ? undefined : {};
  }

  async function run(pair: Pair): Promise<Outcome> {
    const headers: Record<string, string> = { ...pair.caller.headers };
    if (pair.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${endpoint()}${pair.url.slice('/v1'.length)}`, { method: pair.method, headers, body: pair.body === undefined ? undefined : JSON.stringify(pair.body), redirect: 'manual' });
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { ...pair, status: res.status, text, json };
  }

  async function runAll(pairs: Pair[], concurrency: number): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < pairs.length) outcomes.push(await run(pairs[next++]));
      }),
    );
  }

  /** Why an outcome breaks 1.3's rules, or undefined when it does not. */
  function violation(o: Outcome): string | undefined {
    const type = typeof o.json?.type === 'string' ? o.json.type : undefined;
    const errorOnly = o.json !== undefined && Object.keys(o.json).sort().join() === 'code,message,type,version' && o.json.code === o.status;
    if (o.expected !== 'allow') {
      // A refusal is an Appwrite error and nothing else: no resource field rides along.
      if (!errorOnly) return `expected a bare Appwrite error, got ${o.status} ${o.text.slice(0, 160)}`;
      if (o.expected === 'deny-scope' && !(o.status === 401 && type === 'general_unauthorized_scope')) return `expected 401 general_unauthorized_scope, got ${o.status} ${type}`;
      if (o.expected === 'deny' && !([401, 404].includes(o.status) && (type === 'user_unauthorized' || ITEM_NOT_FOUND.test(type ?? '')))) return `expected 401/404 refusal, got ${o.status} ${type}`;
      return undefined;
    }
    if (type && DENIALS.has(type)) return `expected to be allowed, got ${o.status} ${type}: ${String(o.json?.message)}`;
    // 1.3's deliberate 5xx (501 unsupported provider, 503 phone disabled, the time server out of reach)
    // are answers; an unknown error is not.
    if (o.status >= 500 && (!type || type === 'general_unknown')) return `server error ${o.status} ${type}`;
    // Allowed reads of the seeded items answer them.
    if (o.method === 'GET' && !o.url.includes('missing') && ITEM_RULES.some((r) => r.test.test(o.route.path) && r.methods.includes('GET')) && o.status >= 400) return `expected the item, got ${o.status} ${type}`;
    return undefined;
  }

  /** Private ids that must never reach someone who may not see them (lists and errors included). */
  function leaks(o: Outcome): string[] {
    if (o.caller.who !== 'other' && o.caller.who !== 'guest') return [];
    const { ids, users, keys, p1 } = world;
    const secret = [ids.documentId, ids.fileId, ids.teamId, ids.ownerMembershipId, ids.memberMembershipId, users.a.userId, users.c.userId, keys.all];
    if (consoleRoute(o.route)) secret.push(p1);
    return secret.filter((value) => o.text.includes(value));
  }

  it('answers every (route × caller) pair as 1.3 does, and no refused or foreign call carries data', async () => {
    const routes = routeCatalogue(ApiModule).filter((route) => route.method !== 'HEAD' && route.method !== 'OPTIONS');
    expect(routes.filter((route) => !route.route)).toEqual([]);
    const pairs: Pair[] = routes.flatMap((route) =>
      callers(route).map((caller) => {
        const expected = expectation(route, caller);
        return { route, caller, expected, method: route.method, url: pathFor(route, expected), body: bodyFor(route, caller) };
      }),
    );
    const isLast = (p: Pair) => LAST.has(`${p.method} ${p.route.path}`);
    await runAll(pairs.filter((p) => !isLast(p)), 6);
    // Signing out everywhere and blocking the account hit the caller itself: fresh users stand in for A, B and C.
    const last = pairs.filter(isLast).map(async (p) => {
      if (p.caller.auth !== AuthType.Session) return p;
      const stand = await signedInUser(world.p1, 'standin');
      return { ...p, caller: { ...p.caller, headers: { ...p.caller.headers, 'x-fallback-cookies': fallbackCookies(stand) } } };
    });
    await runAll(await Promise.all(last), 1);

    const problems = outcomes
      .map((o) => {
        const why = violation(o) ?? (leaks(o).length ? `leaks ${leaks(o).join(', ')}` : undefined);
        return why && `${o.method} ${o.route.path} as ${o.caller.name} (${o.expected}): ${why}`;
      })
      .filter(Boolean);
    const byExpectation = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.expected]: (acc[o.expected] ?? 0) + 1 }), {});
    const figures = { routes: routes.length, pairs: outcomes.length, ...byExpectation, problems: problems.length };
    const answers = outcomes.map((o) => `${o.method} ${o.route.path} ${o.caller.name} ${o.expected} → ${o.status} ${String(o.json?.type ?? '')}`);
    writeFileSync(path.join(tmpdir(), 'appconda-permission-matrix.json'), JSON.stringify({ figures, problems, answers }, null, 2));
    console.log(`permission matrix: ${JSON.stringify(figures)}`);

    expect(problems).toEqual([]);
    expect(outcomes).toHaveLength(pairs.length);
    // Every route got every caller kind that applies to it: 12 per project route, 6 per console route,
    // minus one key caller where no key can hold the route's scope.
    const perRoute = (route: CatalogueRoute) => (consoleRoute(route) ? 6 : (API_KEY_SCOPES as readonly string[]).includes(route.route!.scope) ? 12 : 11);
    expect(pairs.length).toBe(routes.reduce((sum, route) => sum + perRoute(route), 0));
    expect(pairs.length).toBeGreaterThan(1800);
  }, 600_000);

  it('left the seeded items as they were: refused writes changed nothing', async () => {
    const { ids, keys, p1 } = world;
    const get = (p: string) => fetch(`${endpoint()}${p}`, { headers: { 'x-appwrite-project': p1, 'x-appwrite-key': keys.all } }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const document = await get(`/databases/${ids.databaseId}/collections/${ids.collectionId}/documents/${ids.documentId}`);
    expect(document).toMatchObject({ status: 200, body: { title: 'private' } });
    expect((await get(`/storage/buckets/${ids.bucketId}/files/${ids.fileId}`)).status).toBe(200);
    expect(await get(`/teams/${ids.teamId}`)).toMatchObject({ status: 200, body: { name: 'matrix team' } });
    const memberships = await get(`/teams/${ids.teamId}/memberships`);
    expect((memberships.body.memberships as { $id: string; roles: string[] }[]).filter((m) => [ids.ownerMembershipId, ids.memberMembershipId].includes(m.$id)).map((m) => m.roles.includes('owner'))).toEqual(
      expect.arrayContaining([true, false]),
    );
    expect((await get(`/users/${world.users.a.userId}`)).status).toBe(200);
  });

  it('declares the scope 1.3 labels each route with (ENDPOINTS.md, when the reference is present)', () => {
    const reference = '/work/shared/appwrite-1.3/ENDPOINTS.md';
    if (!existsSync(reference)) return;
    const scopes = new Map<string, string>();
    for (const line of readFileSync(reference, 'utf8').split('\n')) {
      const cells = line.split('|').map((cell) => cell.trim());
      if (cells.length < 7 || !/^(GET|POST|PUT|PATCH|DELETE)$/.test(cells[1])) continue;
      // Two tables: spec routes (…| operationId | platforms | auth | scope |…) and unlisted ones (…| file | - | scope |…).
      const scope = cells[3].includes('/') ? cells[5] : cells[6];
      if (scope) scopes.set(`${cells[1]} ${cells[2].replace(/`/g, '').replace(/\{(\w+)\}/g, ':$1')}`, scope);
    }
    const mismatches = routeCatalogue(ApiModule)
      .filter((route) => scopes.has(`${route.method} ${route.path}`) && scopes.get(`${route.method} ${route.path}`) !== route.route?.scope)
      .map((route) => `${route.method} ${route.path}: ${route.route?.scope} ≠ ${scopes.get(`${route.method} ${route.path}`)}`);
    expect(mismatches).toEqual([]);
  });
});
