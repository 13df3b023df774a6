import { buildEvents } from '@appconda/contracts';
import type { AppEvent } from '@appconda/transport';

import { convertChannels, requestedChannels, roleChangeOf, targetsOf } from './channels';

const event = (template: string, params: Record<string, string>, extra: Partial<AppEvent> = {}): AppEvent => ({
  id: 'e1',
  projectId: 'p1',
  events: buildEvents(template, params),
  payload: {},
  time: '2024-01-01T00:00:00.000Z',
  ...extra,
});

describe('channels', () => {
  it('reads channels[] as 1.3 does and drops account.<x> asked for directly', () => {
    expect(requestedChannels(['documents', 'documents', '', 7, 'files'])).toEqual(['documents', 'files']);
    expect(requestedChannels('account')).toEqual(['account']);
    expect(convertChannels(['account', 'account.someone', 'files'], 'u1')).toEqual(['account', 'files', 'account.u1']);
    expect(convertChannels(['account'])).toEqual(['account']);
  });

  it('targets documents at the read roles the route computed, on the three 1.3 channels', () => {
    const e = event('databases.[databaseId].collections.[collectionId].documents.[documentId].create', { databaseId: 'db', collectionId: 'col', documentId: 'd1' }, { payload: { $id: 'd1', $collectionId: 'col' }, readRoles: ['user:u1'] });
    expect(targetsOf(e)).toEqual([{ projectId: 'p1', channels: ['documents', 'databases.db.collections.col.documents', 'databases.db.collections.col.documents.d1'], roles: ['user:u1'] }]);
    expect(targetsOf({ ...e, readRoles: [] })).toEqual([]);
    expect(targetsOf({ ...e, readRoles: undefined })).toEqual([]);
  });

  it('targets users, teams, memberships, files and executions like Realtime::fromPayload', () => {
    expect(targetsOf(event('users.[userId].update.name', { userId: 'u1' }))).toEqual([{ projectId: 'p1', channels: ['account', 'account.u1'], roles: ['user:u1'] }]);
    expect(targetsOf(event('teams.[teamId].update', { teamId: 't1' }))).toEqual([{ projectId: 'p1', channels: ['teams', 'teams.t1'], roles: ['team:t1'] }]);
    expect(targetsOf(event('teams.[teamId].memberships.[membershipId].create', { teamId: 't1', membershipId: 'm1' }))[0]).toMatchObject({ channels: ['memberships', 'memberships.m1'], roles: ['team:t1'] });
    expect(targetsOf(event('buckets.[bucketId].files.[fileId].create', { bucketId: 'b1', fileId: 'f1' }, { payload: { $id: 'f1', bucketId: 'b1' }, readRoles: ['any'] }))[0]).toMatchObject({ channels: ['files', 'buckets.b1.files', 'buckets.b1.files.f1'], roles: ['any'] });
    const execution = event('functions.[functionId].executions.[executionId].update', { functionId: 'fn', executionId: 'x1' }, { payload: { $id: 'x1', functionId: 'fn', $permissions: ['read("user:u1")'] } });
    const channels = ['console', 'executions', 'executions.x1', 'functions.fn'];
    expect(targetsOf(execution)).toEqual([
      { projectId: 'p1', channels, roles: ['user:u1'] },
      { projectId: 'console', channels, roles: ['user:u1'] },
    ]);
    expect(targetsOf({ ...execution, payload: { $id: 'x1', functionId: 'fn', $permissions: [] } })).toEqual([]);
  });

  it('sends schema and deployment changes only to the console, for the owning project', () => {
    const attribute = event('databases.[databaseId].collections.[collectionId].attributes.[attributeId].update', { databaseId: 'db', collectionId: 'col', attributeId: 'a' });
    expect(targetsOf(attribute)).toEqual([{ projectId: 'console', channels: ['console'], ownerProjectId: 'p1' }]);
    expect(targetsOf({ ...attribute, projectId: 'console', subjectProjectId: 'p2' })).toEqual([{ projectId: 'console', channels: ['console'], ownerProjectId: 'p2' }]);
    expect(targetsOf(event('functions.[functionId].deployments.[deploymentId].update', { functionId: 'fn', deploymentId: 'd' }))).toEqual([{ projectId: 'console', channels: ['console'], ownerProjectId: 'p1' }]);
    // Events of the console project itself are not broadcast (1.3).
    expect(targetsOf({ ...event('users.[userId].update.name', { userId: 'u1' }), projectId: 'console' })).toEqual([]);
  });

  it('names whose roles an event may change', () => {
    expect(roleChangeOf(event('users.[userId].sessions.[sessionId].delete', { userId: 'u1', sessionId: 's1' }))).toEqual({ userIds: ['u1'], teamIds: [] });
    expect(roleChangeOf(event('users.[userId].update.status', { userId: 'u1' }))).toEqual({ userIds: ['u1'], teamIds: [] });
    expect(roleChangeOf(event('users.[userId].update.prefs', { userId: 'u1' }))).toBeUndefined();
    expect(roleChangeOf(event('teams.[teamId].memberships.[membershipId].delete', { teamId: 't1', membershipId: 'm1' }, { payload: { userId: 'u2' } }))).toEqual({ userIds: ['u2'], teamIds: [] });
    expect(roleChangeOf(event('teams.[teamId].delete', { teamId: 't1' }))).toEqual({ userIds: [], teamIds: ['t1'] });
    expect(roleChangeOf(event('teams.[teamId].create', { teamId: 't1' }, { userId: 'u3' }))).toEqual({ userIds: ['u3'], teamIds: [] });
    expect(roleChangeOf(event('teams.[teamId].update', { teamId: 't1' }))).toBeUndefined();
  });
});
