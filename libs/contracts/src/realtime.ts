/**
 * The realtime WebSocket protocol of Appwrite 1.3 (PROTOCOL §12): the endpoint, the messages both
 * sides send, the codes of its errors and its limits.
 */

/** Where the web SDK opens its socket: the REST endpoint with ws(s) and `/realtime` appended. */
export const REALTIME_PATH = '/v1/realtime';

/** Codes of `error` messages; 1008 and handshake errors also close the socket with the same code. */
export enum RealtimeErrorCode {
  /** A client message that is not JSON, has no type, an unknown type or a bad payload (socket stays open). */
  UnsupportedData = 1003,
  /** Unknown project, refused origin, no channels: the web SDK does not reconnect after it. */
  PolicyViolation = 1008,
  /** Over the connection or message rate. */
  TryAgainLater = 1013,
}

/** The texts 1.3 sends with those codes. */
export const RealtimeErrorText = {
  UnknownProject: 'Missing or unknown project ID',
  MissingChannels: 'Missing channels',
  TooManyRequests: 'Too many requests',
  TooManyMessages: 'Too many messages',
  InvalidFormat: 'Message format is not valid.',
  InvalidPayload: 'Payload is not valid.',
  InvalidSession: 'Session is not valid.',
  InvalidType: 'Message type is not valid.',
} as const;

/** 1.3's limits (app/realtime.php). */
export const REALTIME_LIMITS = {
  /** New connections per IP and minute. */
  connectionsPerMinute: 128,
  /** Messages per connection and minute. */
  messagesPerMinute: 32,
  /** Largest client frame in bytes (Swoole's package_max_length there). */
  maxPayload: 64000,
} as const;

/** `{type:'connected'}`: the handshake succeeded. `user` is the Account model, null for guests. */
export interface RealtimeConnectedMessage {
  type: 'connected';
  data: { channels: string[]; user: Record<string, unknown> | null };
}

/** One change, to every connection whose roles and channels match it. */
export interface RealtimeEventMessage {
  type: 'event';
  data: {
    events: string[];
    channels: string[];
    /** Appwrite's date format (`2023-07-18T22:21:58.123+00:00`), although the SDK's type says number. */
    timestamp: string;
    payload: unknown;
  };
}

export interface RealtimeErrorMessage {
  type: 'error';
  data: { code: number; message: string };
}

/** The answer to an `authentication` message. */
export interface RealtimeResponseMessage {
  type: 'response';
  data: { to: 'authentication'; success: true; user: Record<string, unknown> };
}

export type RealtimeServerMessage = RealtimeConnectedMessage | RealtimeEventMessage | RealtimeErrorMessage | RealtimeResponseMessage;

/** The one message a client sends: signs a guest connection in with a session (the cookie value). */
export interface RealtimeAuthenticationMessage {
  type: 'authentication';
  data: { session: string };
}
