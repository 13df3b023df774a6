import { readRolesOf, Role } from '@appconda/auth';
import type { AppEvent } from '@appconda/transport';

export const CONSOLE_PROJECT = 'console';

/** Longest channel name kept, and most channels per connection (Appconda's bounds on a client's index entries). */
export const MAX_CHANNEL_LENGTH = 256;
export const MAX_CHANNELS = 100;

/**
 * The `channels[]` query param as strings: one value or many, empty and overlong ones dropped,
 * duplicates removed (1.3 flips the list into keys).
 */
export function requestedChannels(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const channels = new Set<string>();
  for (const channel of values) if (typeof channel === 'string' && channel !== '' && channel.length <= MAX_CHANNEL_LENGTH) channels.add(channel);
  return [...channels];
}

/**
 * 1.3's `Realtime::convertChannels`: `account.<anything>` asked for directly is dropped, and `account`
 * also subscribes a signed-in user to `account.<their id>`.
 */
export function convertChannels(channels: Iterable<string>, userId?: string): string[] {
  const result: string[] = [];
  let account = false;
  for (const channel of channels) {
    if (channel.startsWith('account.')) continue;
    if (channel === 'account') account = true;
    result.push(channel);
  }
  if (account && userId) result.push(`account.${userId}`);
  return result;
}

/**
 * Where an event goes: a project, the channels it is published on and the roles that may see it.
 * `roles` undefined means "the console team owning `ownerProjectId`" (console-only families), which
 * the caller looks up.
 */
export interface EventTarget {
  projectId: string;
  channels: string[];
  roles?: string[];
  ownerProjectId?: string;
}

/** The event name parts of the most specific name (1.3 passes `$allEvents[0]` to fromPayload). */
function partsOf(event: AppEvent): string[] {
  return (event.events[0] ?? '').split('.');
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown, fallback: string | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/**
 * 1.3's `Realtime::fromPayload`, plus its rule that console-project events are not broadcast: the
 * targets of one event (none when nobody may hear it). Documents and files go to the read roles the
 * route computed (AppEvent.readRoles); executions to the execution's read roles (1.3's worker sends
 * them to the project and to the console); schema and deployment changes to the owning console team.
 */
export function targetsOf(event: AppEvent): EventTarget[] {
  const parts = partsOf(event);
  const payload = record(event.payload);
  const owner = event.subjectProjectId ?? event.projectId;
  const consoleOnly = (): EventTarget[] => (owner === CONSOLE_PROJECT ? [] : [{ projectId: CONSOLE_PROJECT, channels: ['console'], ownerProjectId: owner }]);
  if (parts[0] === 'databases' && (parts[4] === 'attributes' || parts[4] === 'indexes')) return consoleOnly();
  if (parts[0] === 'functions' && parts[2] === 'deployments') return consoleOnly();
  if (event.projectId === CONSOLE_PROJECT) return [];
  const to = (channels: string[], roles: string[]): EventTarget[] => (roles.length ? [{ projectId: event.projectId, channels, roles }] : []);

  switch (parts[0]) {
    case 'users':
      return to(['account', `account.${parts[1]}`], [Role.user(parts[1])]);
    case 'teams':
      if (parts[2] === 'memberships') return to(['memberships', `memberships.${parts[3]}`], [Role.team(parts[1])]);
      return to(['teams', `teams.${parts[1]}`], [Role.team(parts[1])]);
    case 'databases': {
      if (parts[4] !== 'documents') return [];
      const collection = `databases.${parts[1]}.collections.${text(payload.$collectionId, parts[3])}.documents`;
      return to(['documents', collection, `${collection}.${text(payload.$id, parts[5])}`], event.readRoles ?? []);
    }
    case 'buckets': {
      if (parts[2] !== 'files') return [];
      const bucket = `buckets.${text(payload.bucketId, parts[1])}.files`;
      return to(['files', bucket, `${bucket}.${text(payload.$id, parts[3])}`], event.readRoles ?? []);
    }
    case 'functions': {
      if (parts[2] !== 'executions') return [];
      const permissions = Array.isArray(payload.$permissions) ? payload.$permissions.filter((p): p is string => typeof p === 'string') : [];
      const roles = event.readRoles ?? readRolesOf(permissions);
      const channels = ['console', 'executions', `executions.${text(payload.$id, parts[3])}`, `functions.${text(payload.functionId, parts[1])}`];
      return roles.length ? [...to(channels, roles), { projectId: CONSOLE_PROJECT, channels, roles }] : [];
    }
    default:
      return [];
  }
}

/** Whose roles an event may have changed: these users, and every holder of `team:<id>` for these teams. */
export interface RoleChange {
  userIds: string[];
  teamIds: string[];
}

/** `users.<id>.<suffix>` names that change who a user is (deleted, blocked, verified, signed out). */
const USER_CHANGES = ['delete', 'update.status', 'update.verification', 'update.email', 'update.phone'];

/**
 * Better than 1.3 (which only adds roles, and only for one connection): the events after which the
 * connections of a user must have their roles and sessions checked again.
 */
export function roleChangeOf(event: AppEvent): RoleChange | undefined {
  const parts = partsOf(event);
  const id = parts[1];
  if (!id || id === '*') return undefined;
  if (parts[0] === 'users') {
    const names = new Set(event.events);
    const changed = USER_CHANGES.some((suffix) => names.has(`users.${id}.${suffix}`)) || (parts[2] === 'sessions' && parts[4] === 'delete') || (parts[2] === 'verification' && parts[4] === 'update');
    return changed ? { userIds: [id], teamIds: [] } : undefined;
  }
  if (parts[0] !== 'teams') return undefined;
  if (parts[2] === 'memberships') {
    const userId = text(record(event.payload).userId, undefined);
    return userId ? { userIds: [userId], teamIds: [] } : undefined;
  }
  if (parts[2] === 'delete') return { userIds: [], teamIds: [id] };
  if (parts[2] === 'create' && event.userId) return { userIds: [event.userId], teamIds: [] };
  return undefined;
}
