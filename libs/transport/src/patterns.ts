/**
 * Message pattern each app answers over the Redis transport to prove it is alive. Patterns carry the
 * Redis prefix so several Appconda installations (or test runs) can share one Redis server.
 */
export function healthPattern(service: string, prefix: string): string {
  return `${prefix}.health.${service}`;
}

export interface TransportHealth {
  service: string;
  status: 'pass';
  pid: number;
  uptime: number;
  /** Service-specific figures (HealthDetails), e.g. realtime's open connections. */
  [detail: string]: unknown;
}
