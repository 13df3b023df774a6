import { Role } from '@appconda/auth';

/** What the index reads of a connection. Change `roles`, `channels` or `userId` only while it is out of the index. */
export interface Subscriber {
  roles: ReadonlySet<string>;
  channels: readonly string[];
  userId?: string;
  /** The last match that reached it (deduplicates a connection found under several roles or channels). */
  mark: number;
}

/**
 * One subscriber or several: most roles (`user:<id>`, `member:<id>`) belong to one connection, and a
 * Set per role and channel would cost more than the connection itself.
 */
type Bucket<S> = S | Set<S>;

function put<K, S extends Subscriber>(map: Map<K, Bucket<S>>, key: K, subscriber: S): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, subscriber);
  else if (bucket instanceof Set) bucket.add(subscriber);
  else if (bucket !== subscriber) map.set(key, new Set([bucket, subscriber]));
}

function drop<K, S extends Subscriber>(map: Map<K, Bucket<S>>, key: K, subscriber: S): void {
  const bucket = map.get(key);
  if (bucket === subscriber) map.delete(key);
  else if (bucket instanceof Set) {
    bucket.delete(subscriber);
    if (bucket.size === 1) map.set(key, bucket.values().next().value as S);
  }
}

function each<S extends Subscriber>(bucket: Bucket<S> | undefined, visit: (subscriber: S) => void): void {
  if (bucket === undefined) return;
  if (bucket instanceof Set) for (const subscriber of bucket) visit(subscriber);
  else visit(bucket);
}

class ProjectSubscriptions<S extends Subscriber> {
  /** role → channel → subscribers holding that role on that channel (`any` is left out: see byChannel). */
  readonly byRole = new Map<string, Map<string, Bucket<S>>>();
  /** channel → every subscriber on it, for events anyone may read. */
  readonly byChannel = new Map<string, Bucket<S>>();
  readonly byUser = new Map<string, Bucket<S>>();
  size = 0;
}

/**
 * The in-memory subscription index of one realtime process: project → role → channel → connections,
 * the shape of 1.3's `Realtime::$subscriptions`, looked up from the event's side so that delivering
 * one event costs its roles × channels lookups plus the connections that match, not a walk over every
 * connection or every role of the project.
 */
export class SubscriptionIndex<S extends Subscriber> {
  private readonly projects = new Map<string, ProjectSubscriptions<S>>();
  private marks = 0;
  private total = 0;

  get size(): number {
    return this.total;
  }

  add(projectId: string, subscriber: S): void {
    let project = this.projects.get(projectId);
    if (!project) {
      project = new ProjectSubscriptions<S>();
      this.projects.set(projectId, project);
    }
    for (const role of subscriber.roles) {
      if (role === Role.any()) continue;
      let channels = project.byRole.get(role);
      if (!channels) {
        channels = new Map();
        project.byRole.set(role, channels);
      }
      for (const channel of subscriber.channels) put(channels, channel, subscriber);
    }
    for (const channel of subscriber.channels) put(project.byChannel, channel, subscriber);
    if (subscriber.userId) put(project.byUser, subscriber.userId, subscriber);
    project.size += 1;
    this.total += 1;
  }

  remove(projectId: string, subscriber: S): void {
    const project = this.projects.get(projectId);
    if (!project) return;
    for (const role of subscriber.roles) {
      const channels = project.byRole.get(role);
      if (!channels) continue;
      for (const channel of subscriber.channels) drop(channels, channel, subscriber);
      if (channels.size === 0) project.byRole.delete(role);
    }
    for (const channel of subscriber.channels) drop(project.byChannel, channel, subscriber);
    if (subscriber.userId) drop(project.byUser, subscriber.userId, subscriber);
    project.size -= 1;
    this.total -= 1;
    if (project.size === 0) this.projects.delete(projectId);
  }

  /**
   * Calls `visit` once for every subscriber of the project on one of `channels` that holds one of
   * `roles`, or for every one on those channels when `roles` has `any` (1.3 `getSubscribers`).
   * Returns how many were visited.
   */
  match(projectId: string, roles: readonly string[], channels: readonly string[], visit: (subscriber: S) => void): number {
    const project = this.projects.get(projectId);
    if (!project) return 0;
    const mark = ++this.marks;
    let count = 0;
    const once = (subscriber: S) => {
      if (subscriber.mark === mark) return;
      subscriber.mark = mark;
      count += 1;
      visit(subscriber);
    };
    if (roles.includes(Role.any())) {
      for (const channel of channels) each(project.byChannel.get(channel), once);
      return count;
    }
    for (const role of roles) {
      const byChannel = project.byRole.get(role);
      if (byChannel) for (const channel of channels) each(byChannel.get(channel), once);
    }
    return count;
  }

  /** Whether the project has any subscriber here. */
  hasProject(projectId: string): boolean {
    return this.projects.has(projectId);
  }

  /** Whether any subscriber of the project listens on `channel`. */
  hasChannel(projectId: string, channel: string): boolean {
    return this.projects.get(projectId)?.byChannel.has(channel) ?? false;
  }

  /** The subscribers of one user in a project. */
  ofUser(projectId: string, userId: string): S[] {
    const found: S[] = [];
    each(this.projects.get(projectId)?.byUser.get(userId), (subscriber) => found.push(subscriber));
    return found;
  }

  /** The distinct users of a project holding `role` on some channel. */
  usersWithRole(projectId: string, role: string): Set<string> {
    const users = new Set<string>();
    for (const bucket of this.projects.get(projectId)?.byRole.get(role)?.values() ?? []) {
      each(bucket, (subscriber) => subscriber.userId && users.add(subscriber.userId));
    }
    return users;
  }

  /** Subscribers per project. */
  counts(): Map<string, number> {
    return new Map([...this.projects].map(([projectId, project]) => [projectId, project.size]));
  }
}
