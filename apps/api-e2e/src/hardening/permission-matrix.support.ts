import { randomBytes } from 'node:crypto';
import * as sdk from 'node-appwrite';
import { API_KEY_SCOPES } from '@appconda/contracts';

import { bootstrapConsole, ConsoleSession, endpoint, testIp } from '../../support/console';
import { keyClient, signedInUser, WebUser } from '../../support/identity-clients';
import { linkIn, waitForMail } from '../../support/mailbox';
import { attributeStatus, indexStatus } from '../databases/db-helpers';

/** A 8×8 PNG, so previews of the seeded file are real images. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAQMAAAD+wSzIAAAABlBMVEX///+/v7+jQ3Y5AAAADklEQVQI12P4AIX8EAgALgAD/aNpbtIAAAAASUVORK5CYII=', 'base64');

type SignedIn = WebUser & { userId: string; sessionId: string };

/**
 * What the matrix runs against: two console organizations (O1 owns project P1, O2 owns P2), P1's
 * users A (owner of team T and of the private document and file), B (no rights) and C (plain member of
 * T), P2's user D (whose session and JWT are replayed against P1), keys of P1 with every scope and with
 * every scope but one, and P1 resources with real data.
 */
export interface MatrixWorld {
  o1: ConsoleSession;
  o2: ConsoleSession;
  p1: string;
  p2: string;
  users: { a: SignedIn; b: SignedIn; c: SignedIn; d: SignedIn };
  /** D's JWT (project P2). */
  foreignJwt: string;
  /** Console session cookie of a plain member (no owner/admin/developer role) of O1. */
  consoleMemberCookie: string;
  /** P1 key secrets: every key scope, and per key scope every scope but that one. */
  keys: { all: string; without: Record<string, string> };
  ids: {
    databaseId: string;
    collectionId: string;
    attributeKey: string;
    indexKey: string;
    documentId: string;
    bucketId: string;
    fileId: string;
    teamId: string;
    ownerMembershipId: string;
    memberMembershipId: string;
    keyId: string;
    platformId: string;
    webhookId: string;
  };
}

const tag = () => randomBytes(4).toString('hex');

/** The `X-Fallback-Cookies` value a web SDK user sends (`{"a_session_<project>":"…"}`). */
export function fallbackCookies(user: WebUser): string {
  const value = user.store.get('cookieFallback');
  if (!value) throw new Error('the web user holds no session');
  return value;
}

/** Invites a new console user into `org`'s organization without a role and accepts through the mailed link. */
async function plainConsoleMember(org: ConsoleSession): Promise<string> {
  const email = `matrix-console-member-${tag()}@example.test`;
  const invite = await org.call('POST', `/teams/${org.teamId}/memberships`, { email, roles: [], url: 'http://localhost/join' });
  if (invite.status !== 201) throw new Error(`console invite: ${JSON.stringify(invite.body)}`);
  const link = linkIn(await waitForMail(email), 'http://localhost/join').searchParams;
  const accepted = await fetch(`${endpoint()}/teams/${link.get('teamId')}/memberships/${link.get('membershipId')}/status`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'x-appwrite-project': 'console', 'x-forwarded-for': testIp() },
    body: JSON.stringify({ userId: link.get('userId'), secret: link.get('secret') }),
  });
  const cookie = accepted.headers.getSetCookie().find((c) => c.startsWith('a_session_console='));
  if (accepted.status !== 200 || !cookie) throw new Error(`console invite acceptance: ${accepted.status} ${await accepted.text()}`);
  return cookie.split(';')[0];
}

export async function seedMatrixWorld(): Promise<MatrixWorld> {
  const [o1, o2] = await Promise.all([bootstrapConsole('matrix'), bootstrapConsole('matrix-stranger')]);
  const p1 = o1.projectId;
  const key = keyClient(p1, o1.key);
  const [a, b, c, d] = await Promise.all([signedInUser(p1, 'owner'), signedInUser(p1, 'other'), signedInUser(p1, 'member'), signedInUser(o2.projectId, 'foreign')]);
  const foreignJwt = (await d.account.createJWT()).jwt;
  const consoleMemberCookie = await plainConsoleMember(o1);

  const without: Record<string, string> = {};
  for (const scope of API_KEY_SCOPES) {
    const res = await o1.call<{ secret: string }>('POST', `/projects/${p1}/keys`, { name: `without ${scope}`, scopes: API_KEY_SCOPES.filter((s) => s !== scope) });
    if (res.status !== 201) throw new Error(`key without ${scope}: ${JSON.stringify(res.body)}`);
    without[scope] = res.body.secret;
  }
  const keyList = await o1.call<{ keys: { $id: string; name: string }[] }>('GET', `/projects/${p1}/keys`);
  const platforms = await o1.call<{ platforms: { $id: string }[] }>('GET', `/projects/${p1}/platforms`);
  const webhook = await o1.call<{ $id: string }>('POST', `/projects/${p1}/webhooks`, { name: 'matrix', events: ['teams.*.create'], url: 'http://127.0.0.1:9/never', security: false });

  // Team T: A owns it; C is a confirmed plain member (a key adds an existing user directly, as in 1.3).
  const team = await a.teams.create(`team-${tag()}`, 'matrix team');
  const keyTeams = new sdk.Teams(key);
  const member = await keyTeams.createMembership(team.$id, [], 'http://localhost/join', c.email);
  const owner = (await keyTeams.listMemberships(team.$id)).memberships.find((m) => m.userId === a.userId)!;

  // A collection and a bucket with item security: users may create; the seeded items are readable by
  // team T, writable and deletable by A only.
  const itemPermissions = [sdk.Permission.read(sdk.Role.team(team.$id)), sdk.Permission.update(sdk.Role.user(a.userId)), sdk.Permission.delete(sdk.Role.user(a.userId))];
  const databases = new sdk.Databases(key);
  const databaseId = `db-${tag()}`;
  await databases.create(databaseId, 'matrix');
  await databases.createCollection(databaseId, 'secure', 'secure', [sdk.Permission.create(sdk.Role.users())], true);
  await databases.createStringAttribute(databaseId, 'secure', 'title', 64, false);
  await attributeStatus(databases, databaseId, 'secure', 'title');
  await databases.createIndex(databaseId, 'secure', 'title_idx', 'key', ['title']);
  await indexStatus(databases, databaseId, 'secure', 'title_idx');
  const document = await databases.createDocument(databaseId, 'secure', `doc-${tag()}`, { title: 'private' }, itemPermissions);

  const storage = new sdk.Storage(key);
  const bucketId = `bucket-${tag()}`;
  await storage.createBucket(bucketId, 'secure', [sdk.Permission.create(sdk.Role.users())], true);
  const file = await storage.createFile(bucketId, `file-${tag()}`, sdk.InputFile.fromBuffer(PNG, 'private.png'), itemPermissions);

  return {
    o1,
    o2,
    p1,
    p2: o2.projectId,
    users: { a, b, c, d },
    foreignJwt,
    consoleMemberCookie,
    keys: { all: o1.key, without },
    ids: {
      databaseId,
      collectionId: 'secure',
      attributeKey: 'title',
      indexKey: 'title_idx',
      documentId: document.$id,
      bucketId,
      fileId: file.$id,
      teamId: team.$id,
      ownerMembershipId: owner.$id,
      memberMembershipId: member.$id,
      keyId: keyList.body.keys.find((k) => k.name === 'everything')!.$id,
      platformId: platforms.body.platforms[0].$id,
      webhookId: webhook.body.$id,
    },
  };
}

/** One IP per caller, so the per-IP abuse limits of one never answer for another. */
export const callerIp = (() => {
  const ips = new Map<string, string>();
  return (caller: string) => {
    if (!ips.has(caller)) ips.set(caller, testIp());
    return ips.get(caller)!;
  };
})();
