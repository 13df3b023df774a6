import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { isOriginAllowed, RedisAbuseLimiter, requestOrigin, unknownOriginMessage } from '@appconda/auth';
import { ErrorType, REALTIME_LIMITS, REALTIME_PATH, RealtimeErrorCode, RealtimeErrorText } from '@appconda/contracts';
import { isAppException, parseQueryString, RequestLike, requestedProjectId, RouteDeclaration } from '@appconda/core';
import { SessionEntity, UserEntity } from '@appconda/database';
import { CONSOLE_PROJECT_ID, identityOf, IdentityResolverService, ProjectContextService } from '@appconda/identity';

import { convertChannels, MAX_CHANNELS, requestedChannels } from './channels';

/** A refusal the client hears as `{type:'error', data:{code, message}}`. */
export class RealtimeFailure extends Error {
  constructor(
    readonly code: RealtimeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Who opened a connection and what it listens to. */
export interface AcceptedConnection {
  projectId: string;
  roles: ReadonlySet<string>;
  channels: string[];
  user?: UserEntity;
  session?: SessionEntity;
}

/** 1.3: 128 connections per minute and IP (`url:{url},ip:{ip}`), counted like the REST abuse limits. */
const CONNECTION_RATE: RouteDeclaration = { auth: [], scope: 'public', rateLimit: { limit: REALTIME_LIMITS.connectionsPerMinute, window: 60, key: 'url:{url},ip:{ip}' } };

let handshakes = 0;

/** The client address: the first `X-Forwarded-For` entry, as the API reads it behind a proxy (trustProxy), else the peer. */
export function clientIp(request: IncomingMessage): string {
  const forwarded = request.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || request.socket.remoteAddress || '';
}

/**
 * The handshake of `/v1/realtime` (1.3 `onOpen`): the project (query param `project`), the caller
 * resolved exactly as a REST request (session cookie, legacy cookie, X-Fallback-Cookies, JWT), the
 * connection rate, the origin against the project's platforms, and the channels.
 */
@Injectable()
export class RealtimeHandshake {
  constructor(
    private readonly abuse: RedisAbuseLimiter,
    private readonly projects: ProjectContextService,
    private readonly resolver: IdentityResolverService,
  ) {}

  async accept(request: IncomingMessage, ip: string): Promise<AcceptedConnection> {
    const url = request.url ?? REALTIME_PATH;
    const query = parseQueryString(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    const hostname = (request.headers.host ?? '').replace(/:\d+$/, '');
    const like: RequestLike & { hostname: string } = { headers: request.headers, query, ip, method: 'GET', url: REALTIME_PATH, hostname };
    const projectId = requestedProjectId(like) ?? CONSOLE_PROJECT_ID;
    const project = await this.projects.find(projectId);
    if (!project) throw new RealtimeFailure(RealtimeErrorCode.PolicyViolation, RealtimeErrorText.UnknownProject);

    const ctx = await refused(() => this.resolver.resolve(like, `rt-${++handshakes}`), RealtimeErrorCode.PolicyViolation);
    await refused(() => this.abuse.check({ ...like, ctx }, CONNECTION_RATE, undefined), RealtimeErrorCode.TryAgainLater);

    const origin = requestOrigin(request.headers);
    // 1.3 checks every handshake's origin, not only writes' (browsers always send one with a WebSocket); the console's own is exempt.
    if (projectId !== CONSOLE_PROJECT_ID && !isOriginAllowed(origin, { platforms: project.platforms.map(asPlatform), apiHostname: hostname })) {
      throw new RealtimeFailure(RealtimeErrorCode.PolicyViolation, unknownOriginMessage(origin));
    }

    const channels = convertChannels(requestedChannels(query.channels), ctx.userId);
    if (!channels.length) throw new RealtimeFailure(RealtimeErrorCode.PolicyViolation, RealtimeErrorText.MissingChannels);
    if (channels.length > MAX_CHANNELS) throw new RealtimeFailure(RealtimeErrorCode.PolicyViolation, `Too many channels: at most ${MAX_CHANNELS}.`);
    const identity = identityOf(ctx);
    return { projectId, roles: ctx.roles, channels, user: identity.user, session: identity.session };
  }

  /** The `authentication` message: the session must be alive in the connection's project (1.3 `onMessage`). */
  async authenticate(projectId: string, value: unknown): Promise<{ user: UserEntity; session: SessionEntity; roles: string[] }> {
    const project = await this.projects.find(projectId);
    const signedIn = project && typeof value === 'string' ? await this.resolver.sessionUser(projectId, project, value) : undefined;
    if (!signedIn || signedIn.user.status === false) throw new RealtimeFailure(RealtimeErrorCode.UnsupportedData, RealtimeErrorText.InvalidSession);
    return { ...signedIn, roles: await this.resolver.userRoles(projectId, signedIn.user) };
  }
}

function asPlatform(platform: { type: string; hostname?: string | null; key?: string | null }) {
  return { type: platform.type, hostname: platform.hostname ?? undefined, key: platform.key ?? undefined };
}

/** Runs a pipeline step; an Appwrite error becomes a refusal with `code` and the error's message. */
async function refused<T>(step: () => Promise<T>, code: RealtimeErrorCode): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!isAppException(error)) throw error;
    if (error.type === ErrorType.ProjectNotFound.type) throw new RealtimeFailure(RealtimeErrorCode.PolicyViolation, RealtimeErrorText.UnknownProject);
    if (error.type === ErrorType.GeneralRateLimitExceeded.type) throw new RealtimeFailure(RealtimeErrorCode.TryAgainLater, RealtimeErrorText.TooManyRequests);
    throw new RealtimeFailure(code, error.message);
  }
}
