import { REALTIME_LIMITS, RealtimeErrorCode, RealtimeServerMessage } from '@appconda/contracts';
import { WebSocket } from 'ws';

import { Subscriber } from './subscription-index';

const MINUTE_MS = 60_000;
const NO_ROLES: ReadonlySet<string> = new Set();

/** What the server does with a connection that reads too slowly (its send buffer passed the cap). */
export interface ConnectionLimits {
  /** Bytes a socket may have waiting to be sent before it is closed. */
  sendBufferCap: number;
  /** Client messages per connection and minute. */
  messagesPerMinute: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  sendBufferCap: 1024 * 1024,
  messagesPerMinute: REALTIME_LIMITS.messagesPerMinute,
};

/**
 * An unmasked, final text frame of `payload` (RFC 6455 §5.2), built once per event and written as is
 * to every socket it goes to: ws would build a header and issue two writes per socket.
 */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const offset = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(offset + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  payload.copy(frame, offset);
  return frame;
}

/** ws keeps the TCP socket here; the frames of `textFrame` go straight to it. */
type RawSocketHolder = { _socket?: { write(data: Buffer): boolean } };

/**
 * One WebSocket client: where it is subscribed (project, roles, channels) and who it is (user,
 * session). Kept small: a process holds ten thousand of them.
 */
export class RealtimeConnection implements Subscriber {
  projectId = '';
  roles: ReadonlySet<string> = NO_ROLES;
  channels: readonly string[] = [];
  userId?: string;
  /** The session it authenticated with (cookie, fallback cookie, JWT or `authentication` message). */
  sessionId?: string;
  mark = 0;
  /** In the index and receiving events. */
  subscribed = false;
  /** Closed for reading too slowly. */
  dropped = false;
  /** Client messages that arrived during the handshake, answered once it is done (at most a minute's worth). */
  early?: Buffer[];
  private windowStart = 0;
  private windowCount = 0;

  constructor(
    readonly socket: WebSocket,
    readonly ip: string,
    private readonly limits: ConnectionLimits,
  ) {}

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Sends pre-encoded data unless the client stopped reading: past the send-buffer cap the socket is
   * dropped (no close handshake: nothing more would get through), so a slow consumer never holds an
   * unbounded queue. Returns false when the frame was not sent.
   */
  send(data: Buffer): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    if (this.socket.bufferedAmount > this.limits.sendBufferCap) {
      this.dropped = true;
      this.socket.terminate();
      return false;
    }
    this.socket.send(data, { binary: false });
    return true;
  }

  /**
   * Writes a frame of `textFrame` (an event shared by many sockets), with the same slow-consumer rule.
   * Safe next to ws's own sends: without permessage-deflate ws writes each frame whole and at once too.
   */
  sendFrame(frame: Buffer): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    if (this.socket.bufferedAmount > this.limits.sendBufferCap) {
      this.dropped = true;
      this.socket.terminate();
      return false;
    }
    const raw = (this.socket as unknown as RawSocketHolder)._socket;
    if (!raw) return false;
    raw.write(frame);
    return true;
  }

  sendMessage(message: RealtimeServerMessage): boolean {
    return this.send(Buffer.from(JSON.stringify(message)));
  }

  /** `{type:'error'}`; 1008 also closes the socket with that code (1.3 onMessage/onOpen). */
  fail(code: number, message: string, close = code === RealtimeErrorCode.PolicyViolation): void {
    this.sendMessage({ type: 'error', data: { code, message } });
    if (close) this.close(code, message);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason.slice(0, 120));
  }

  /** Counts one client message against the per-minute limit; false once over it. */
  allowMessage(now: number): boolean {
    if (now - this.windowStart >= MINUTE_MS) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount += 1;
    return this.windowCount <= this.limits.messagesPerMinute;
  }
}
