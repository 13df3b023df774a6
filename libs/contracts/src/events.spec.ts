import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { EVENT_TREE, EventResource, buildEvents, isValidEvent } from './events';

const reference = path.resolve(__dirname, '../../../../shared/appwrite-1.3/events.json');

describe('buildEvents', () => {
  it('expands a document create into the 22 names of PROTOCOL.md §13, in order', () => {
    const sut = buildEvents('databases.[databaseId].collections.[collectionId].documents.[documentId].create', {
      databaseId: 'db1',
      collectionId: 'col1',
      documentId: 'doc1',
    });
    const ids = [
      'db1.collections.col1.documents.doc1',
      '*.collections.*.documents.*',
      'db1.collections.*.documents.doc1',
      '*.collections.*.documents.doc1',
      '*.collections.col1.documents.doc1',
      'db1.collections.col1.documents.*',
      '*.collections.col1.documents.*',
      'db1.collections.*.documents.*',
    ].map((rest) => `databases.${rest}`);
    expect(sut).toEqual([
      ...ids.map((name) => `${name}.create`),
      ...ids,
      'databases.db1.collections.col1',
      'databases.*.collections.*',
      'databases.db1.collections.*',
      'databases.*.collections.col1',
      'databases.db1',
      'databases.*',
    ]);
  });

  it('puts the action before the action attribute for users.[userId].update.email', () => {
    expect(buildEvents('users.[userId].update.email', { userId: 'u1' })).toEqual([
      'users.u1.update',
      'users.*.update',
      'users.u1.update.email',
      'users.*.update.email',
      'users.u1',
      'users.*',
    ]);
  });

  it('expands a file create into 10 names', () => {
    expect(buildEvents('buckets.[bucketId].files.[fileId].create', { bucketId: 'b1', fileId: 'f1' })).toEqual([
      'buckets.b1.files.f1.create',
      'buckets.*.files.*.create',
      'buckets.b1.files.*.create',
      'buckets.*.files.f1.create',
      'buckets.b1.files.f1',
      'buckets.*.files.*',
      'buckets.b1.files.*',
      'buckets.*.files.f1',
      'buckets.b1',
      'buckets.*',
    ]);
  });

  it('expands a session create and a top-level create', () => {
    expect(buildEvents('users.[userId].sessions.[sessionId].create', { userId: 'u1', sessionId: 's1' })).toEqual([
      'users.u1.sessions.s1.create',
      'users.*.sessions.*.create',
      'users.u1.sessions.*.create',
      'users.*.sessions.s1.create',
      'users.u1.sessions.s1',
      'users.*.sessions.*',
      'users.u1.sessions.*',
      'users.*.sessions.s1',
      'users.u1',
      'users.*',
    ]);
    expect(buildEvents('functions.[functionId].create', { functionId: 'fn' })).toEqual([
      'functions.fn.create',
      'functions.*.create',
      'functions.fn',
      'functions.*',
    ]);
  });

  it("keeps the nested action attribute and Appwrite's parent-level attribute form", () => {
    const sut = buildEvents('teams.[teamId].memberships.[membershipId].update.status', { teamId: 't1', membershipId: 'm1' });
    expect(sut.slice(0, 4)).toEqual([
      'teams.t1.memberships.m1.update.status',
      'teams.*.memberships.*.update.status',
      'teams.t1.memberships.*.update.status',
      'teams.*.memberships.m1.update.status',
    ]);
    expect(sut).toContain('teams.t1.memberships.m1.update');
    expect(sut).toContain('teams.*.update.status');
    expect(sut.slice(-2)).toEqual(['teams.t1', 'teams.*']);
    expect(new Set(sut).size).toBe(sut.length);
  });

  it('fails when a placeholder has no param', () => {
    expect(() => buildEvents('users.[userId].sessions.[sessionId].create', { userId: 'u1' })).toThrow(/sessionId/);
  });

  it('produces only valid event names for every template of the tree', () => {
    const names = buildEvents('databases.[databaseId].collections.[collectionId].attributes.[attributeId].create', {
      databaseId: 'd',
      collectionId: 'c',
      attributeId: 'a',
    });
    for (const name of names) expect([name, isValidEvent(name)]).toEqual([name, true]);
  });
});

describe('isValidEvent', () => {
  it.each([
    'users.*',
    'users.u1',
    'users.*.create',
    'users.*.update.email',
    'users.*.sessions.*.create',
    'users.u1.sessions',
    'databases.*.collections.*.documents.*',
    'databases.db1.collections.*.documents.*.update',
    'databases.*.collections.*.indexes.i1.delete',
    'teams.*.memberships.*.update.status',
    'functions.*.executions.*.create',
    'buckets.b.files.*.delete',
  ])('accepts %s', (name) => expect(isValidEvent(name)).toBe(true));

  it.each([
    '',
    'users',
    'users.',
    'accounts.*',
    'users.*.explode',
    'users.*.update.colour',
    'users.*.create.email',
    'users.*.sessions.*.update',
    'databases.*.collections.*.indexes.*.update',
    'databases.*.collections.*.documents.*.create.extra',
    'buckets..files.*',
    'constructor.*',
    'users.*.__proto__',
  ])('rejects %s', (name) => expect(isValidEvent(name)).toBe(false));

  (existsSync(reference) ? it : it.skip)('covers exactly the Appwrite 1.3 event tree', () => {
    type Raw = { [key: string]: Raw | string | boolean };
    const toRaw = (node: EventResource): Raw => {
      const out: Raw = { $model: node.model, $resource: true };
      for (const [action, attributes] of Object.entries(node.actions)) out[action] = Object.fromEntries(attributes.map((a) => [a, {}]));
      for (const [name, child] of Object.entries(node.children ?? {})) out[name] = toRaw(child);
      return out;
    };
    const strip = (node: Raw): Raw =>
      Object.fromEntries(
        Object.entries(node)
          .filter(([key]) => key !== '$description')
          .map(([key, value]) => [key, typeof value === 'object' ? strip(value) : value]),
      );
    const appwrite = strip(JSON.parse(readFileSync(reference, 'utf8')));
    expect(Object.fromEntries(Object.entries(EVENT_TREE).map(([name, node]) => [name, toRaw(node)]))).toEqual(appwrite);
  });
});
