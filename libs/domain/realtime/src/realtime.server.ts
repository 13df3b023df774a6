import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { REALTIME_LIMITS, REALTIME_PATH, RealtimeErrorCode, RealtimeErrorText } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { toAccountModel } from '@appconda/users';
import { WebSocket, WebSocketServer } from 'ws';

import { convertChannels } from './channels';
import { ConnectionLimits, DEFAULT_CONNECTION_LIMITS, RealtimeConnection, textFrame } from './connection';
import { clientIp, RealtimeFailure, RealtimeHandshake } from './handshake';
import { SubscriptionIndex } from './subscription-index';

const logger = serviceLogger('realtime');

/** Overrides of the per-connection limits (benchmarks, tests). */
export const REALTIME_LIMITS_OPTIONS = Symbol('REALTIME_LIMITS_OPTIONS');

/** Counters of what the server refused or dropped since it started. */
export interface RealtimeCounters {
  opened: number;
  refused: number;
  slowConsumersClosed: number;
  delivered: number;
}

/**
 * The `/v1/realtime` WebSocket endpoint on an HTTP server (its own, or the API's in `appconda all`):
 * handshake, client messages, and delivery of encoded events to the connections the subscription
 * index matches. `ws` with permessage-deflate off (compressing every frame for every socket costs
 * more CPU and memory than the bytes it saves on small JSON events).
 */
@Injectable()
export class RealtimeServer implements BeforeApplicationShutdown {
  readonly index = new SubscriptionIndex<RealtimeConnection>();
  readonly counters: RealtimeCounters = { opened: 0, refused: 0, slowConsumersClosed: 0, delivered: 0 };
  private readonly limits: ConnectionLimits;
  private readonly connections = new Set<RealtimeConnection>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: REALTIME_LIMITS.maxPayload, clientTracking: false });
  private readonly servers: Server[] = [];
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head);
  private closing = false;

  constructor(
    private readonly handshake: RealtimeHandshake,
    @Optional() @Inject(REALTIME_LIMITS_OPTIONS) limits?: Partial<ConnectionLimits>,
  ) {
    this.limits = { ...DEFAULT_CONNECTION_LIMITS, ...limits };
  }

  /** Open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** Answers WebSocket upgrades of `/v1/realtime` on this HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', this.onUpgrade);
    this.servers.push(server);
  }

  /**
   * Sends one encoded message to every subscribed connection of the project that holds one of `roles`
   * (or any connection when `roles` has `any`) and listens on one of `channels`. Returns how many got it.
   */
  deliver(projectId: string, roles: readonly string[], channels: readonly string[], data: Buffer): number {
    let sent = 0;
    let frame: Buffer | undefined;
    this.index.match(projectId, roles, channels, (connection) => {
      frame ??= textFrame(data);
      if (connection.sendFrame(frame)) sent += 1;
    });
    this.counters.delivered += sent;
    return sent;
  }

  /** Moves a connection to a new identity, roles or channels: out of the index and back in. */
  resubscribe(connection: RealtimeConnection, change: Partial<Pick<RealtimeConnection, 'userId' | 'sessionId' | 'channels'>> & { roles: Iterable<string> }): void {
    if (connection.subscribed) this.index.remove(connection.projectId, connection);
    connection.subscribed = false;
    if ('userId' in change) connection.userId = change.userId;
    if ('sessionId' in change) connection.sessionId = change.sessionId;
    if (change.channels) connection.channels = change.channels;
    connection.roles = new Set(change.roles);
    if (!connection.open) return;
    this.index.add(connection.projectId, connection);
    connection.subscribed = true;
  }

  /**
   * Closes every connection (1001 going away) and stops answering upgrades — before the HTTP server
   * closes, which would otherwise wait for the upgraded sockets.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const server of this.servers) server.off('upgrade', this.onUpgrade);
    for (const connection of this.connections) connection.close(1001, 'Server shutting down');
    // Clients that do not answer the close handshake are cut after a short grace period.
    const deadline = Date.now() + 1000;
    while (this.connections.size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const connection of this.connections) connection.socket.terminate();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A client that resets mid-handshake must not take the process down.
    socket.on('error', () => socket.destroy());
    const path = (request.url ?? '').split('?')[0].replace(/\/+$/, '');
    if (path !== REALTIME_PATH || this.closing) {
      socket.end(`HTTP/1.1 ${this.closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => void this.open(ws, request));
  }

  private async open(ws: WebSocket, request: IncomingMessage): Promise<void> {
    const connection = new RealtimeConnection(ws, clientIp(request), this.limits);
    this.connections.add(connection);
    this.counters.opened += 1;
    connection.early = [];
    ws.on('error', (err) => logger.debug({ err: err.message, ip: connection.ip }, 'socket error'));
    ws.on('close', () => this.closed(connection));
    ws.on('message', (data, isBinary) => this.message(connection, data as Buffer, isBinary));
    try {
      const accepted = await this.handshake.accept(request, connection.ip);
      if (!connection.open) return;
      connection.projectId = accepted.projectId;
      this.resubscribe(connection, { userId: accepted.user?.uid, sessionId: accepted.session?.uid, roles: accepted.roles, channels: accepted.channels });
      connection.sendMessage({ type: 'connected', data: { channels: accepted.channels, user: accepted.user ? (toAccountModel(accepted.user) as unknown as Record<string, unknown>) : null } });
      const early = connection.early;
      connection.early = undefined;
      for (const data of early) this.message(connection, data, false);
    } catch (error) {
      this.counters.refused += 1;
      connection.early = undefined;
      if (error instanceof RealtimeFailure) connection.fail(error.code, error.message, true);
      else {
        logger.error({ err: error }, 'realtime handshake failed');
        connection.fail(1011, 'Server error', true);
      }
    }
  }

  private closed(connection: RealtimeConnection): void {
    this.connections.delete(connection);
    if (connection.dropped) this.counters.slowConsumersClosed += 1;
    if (connection.subscribed) this.index.remove(connection.projectId, connection);
    connection.subscribed = false;
  }

  /** A client frame (1.3 `onMessage`): only `authentication` exists; errors answer 1003 and keep the socket. */
  private message(connection: RealtimeConnection, data: Buffer, isBinary: boolean): void {
    if (connection.early) {
      if (connection.early.length < this.limits.messagesPerMinute) connection.early.push(data);
      return;
    }
    if (!connection.allowMessage(Date.now())) return connection.fail(RealtimeErrorCode.TryAgainLater, RealtimeErrorText.TooManyMessages, false);
    const message = isBinary ? undefined : parseMessage(data);
    if (!message || (!('type' in message) && !('data' in message))) return connection.fail(RealtimeErrorCode.UnsupportedData, RealtimeErrorText.InvalidFormat);
    if (message.type !== 'authentication') return connection.fail(RealtimeErrorCode.UnsupportedData, RealtimeErrorText.InvalidType);
    const payload = message.data;
    if (payload === null || typeof payload !== 'object' || !('session' in payload)) return connection.fail(RealtimeErrorCode.UnsupportedData, RealtimeErrorText.InvalidPayload);
    void this.authenticate(connection, (payload as { session: unknown }).session);
  }

  private async authenticate(connection: RealtimeConnection, session: unknown): Promise<void> {
    try {
      const signedIn = await this.handshake.authenticate(connection.projectId, session);
      if (!connection.open) return;
      const channels = convertChannels(connection.channels, signedIn.user.uid);
      this.resubscribe(connection, { userId: signedIn.user.uid, sessionId: signedIn.session.uid, roles: signedIn.roles, channels });
      connection.sendMessage({ type: 'response', data: { to: 'authentication', success: true, user: toAccountModel(signedIn.user) as unknown as Record<string, unknown> } });
    } catch (error) {
      if (error instanceof RealtimeFailure) return connection.fail(error.code, error.message);
      logger.error({ err: error }, 'realtime authentication failed');
      connection.fail(RealtimeErrorCode.UnsupportedData, RealtimeErrorText.InvalidSession);
    }
  }
}

function parseMessage(data: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
