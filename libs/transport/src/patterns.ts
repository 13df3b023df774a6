/** Message pattern each app answers over the Redis transport to prove it is alive. */
export function healthPattern(service: string): string {
  return `appconda.health.${service}`;
}

export interface TransportHealth {
  service: string;
  status: 'pass';
  pid: number;
  uptime: number;
}
