/** Every runnable Appconda service; each is an app under apps/<name> and a compose service. */
export const SERVICES = [
  'api',
  'realtime',
  'executor',
  'maintenance',
  'usage',
  'schedule',
  'worker-audits',
  'worker-webhooks',
  'worker-deletes',
  'worker-databases',
  'worker-builds',
  'worker-certificates',
  'worker-functions',
  'worker-mails',
  'worker-messaging',
] as const;

export type ServiceName = (typeof SERVICES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICES as readonly string[]).includes(value);
}

/** The version the API reports in error bodies and /v1/health/version (the Appwrite API level we speak). */
export const APP_VERSION = '1.3.8';
