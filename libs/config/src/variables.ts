/**
 * Every environment variable Appconda reads: all of Appwrite 1.3's (same names, same defaults) plus
 * a few Appconda additions (flagged `appconda`).
 *
 * The one deliberate deviation from Appwrite's defaults: the MariaDB, Redis and InfluxDB connection
 * defaults point at a local server (127.0.0.1, MariaDB user `root` with an empty password) so a laptop
 * run works with no .env at all. Appwrite's compose values (`mariadb`, `redis`, `influxdb`, `user`/`password`) are
 * kept in `appwriteDefault` and written into .env.example for container deployments.
 *
 * An unset or empty variable takes its default.
 */
export type VariableKind =
  | { kind: 'string'; pattern?: RegExp; hint?: string }
  | { kind: 'int'; min: number; max?: number }
  | { kind: 'number'; min: number } // decimals allowed
  | { kind: 'switch' } // enabled | disabled
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; item?: 'email' | 'ip' } // comma separated
  | { kind: 'url' }
  | { kind: 'email' }
  | { kind: 'host' } // host name or IP, no scheme
  | { kind: 'smsDsn' }; // sms://user:secret@provider

export type VariableGroup = 'general' | 'redis' | 'mariadb' | 'influxdb' | 'statsd' | 'smtp' | 'phone' | 'storage' | 'functions' | 'maintenance' | 'graphql';

export interface VariableSpec {
  name: string;
  group: VariableGroup;
  default: string;
  type: VariableKind;
  /** Kept out of logs and error lines. */
  secret?: boolean;
  /** Appwrite's own default where ours deliberately differs (local MariaDB/Redis). */
  appwriteDefault?: string;
  /** Not an Appwrite 1.3 variable: added by Appconda. */
  appconda?: boolean;
}

export const APP_ENVS = ['development', 'production'] as const;
export const EXECUTOR_DRIVERS = ['docker', 'process'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export const LOGGING_PROVIDERS = ['', 'sentry', 'raygun', 'logowl', 'appsignal'] as const;
/** SMS adapters Appwrite 1.3's messaging worker knows (the host part of `_APP_SMS_PROVIDER`). */
export const SMS_PROVIDERS = ['mock', 'twilio', 'text-magic', 'telesign', 'msg91', 'vonage'] as const;
export const SMTP_SECURE = ['', 'tls', 'ssl'] as const;
export const STORAGE_DEVICES = ['local', 's3', 'dospaces', 'backblaze', 'linode', 'wasabi'] as const;

export type AppEnv = (typeof APP_ENVS)[number];
export type ExecutorDriver = (typeof EXECUTOR_DRIVERS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LoggingProvider = (typeof LOGGING_PROVIDERS)[number];
export type SmsProvider = (typeof SMS_PROVIDERS)[number];
export type SmtpSecure = (typeof SMTP_SECURE)[number];
export type StorageDevice = (typeof STORAGE_DEVICES)[number];

const str = { kind: 'string' } as const;
/** One DNS server: IPv4, IPv6 (bare or in brackets) and an optional port in Node's `setServers` syntax. */
const DNS_SERVER = /^((\d{1,3}\.){3}\d{1,3}(:\d{1,5})?|[0-9a-fA-F:]*:[0-9a-fA-F:]*|\[[0-9a-fA-F:]+\](:\d{1,5})?)$/;
const sw = { kind: 'switch' } as const;
const host = { kind: 'host' } as const;
const email = { kind: 'email' } as const;
const int = (min = 0, max?: number): VariableKind => ({ kind: 'int', min, max });
const port = int(1, 65535);
// Port 0 lets the OS pick a free port (tests and the one-process mode).
const listenPort = int(0, 65535);
const oneOf = (values: readonly string[]): VariableKind => ({ kind: 'enum', values });
const list = (item?: 'email' | 'ip'): VariableKind => ({ kind: 'list', item });

type Entry = Omit<VariableSpec, 'group'>;
const group = (name: VariableGroup, entries: Entry[]): VariableSpec[] => entries.map((entry) => ({ ...entry, group: name }));

/** One remote storage device: access key, secret, region, bucket. */
const device = (prefix: string, region: string): Entry[] => [
  { name: `_APP_STORAGE_${prefix}_ACCESS_KEY`, default: '', type: str, secret: true },
  { name: `_APP_STORAGE_${prefix}_SECRET`, default: '', type: str, secret: true },
  { name: `_APP_STORAGE_${prefix}_REGION`, default: region, type: str },
  { name: `_APP_STORAGE_${prefix}_BUCKET`, default: '', type: str },
];

export const VARIABLES: readonly VariableSpec[] = [
  ...group('general', [
    { name: '_APP_ENV', default: 'production', type: oneOf(APP_ENVS) },
    { name: '_APP_LOCALE', default: 'en', type: { kind: 'string', pattern: /^[a-z]{2,3}([-_][a-zA-Z]{2,4})?$/, hint: 'a locale code such as en or pt-br' } },
    { name: '_APP_OPTIONS_ABUSE', default: 'enabled', type: sw },
    { name: '_APP_OPTIONS_FORCE_HTTPS', default: 'disabled', type: sw },
    { name: '_APP_OPENSSL_KEY_V1', default: 'your-secret-key', type: str, secret: true },
    { name: '_APP_DOMAIN', default: 'localhost', type: host },
    { name: '_APP_DOMAIN_TARGET', default: 'localhost', type: host },
    // Appwrite 1.5 added the same name; empty here means the system resolver (/etc/resolv.conf).
    { name: '_APP_DNS', default: '', type: { kind: 'string', pattern: DNS_SERVER, hint: 'an IP address with an optional port (1.1.1.1, 127.0.0.1:5353, [::1]:53)' }, appconda: true },
    { name: '_APP_ACME_DIRECTORY', default: 'https://acme-v02.api.letsencrypt.org/directory', type: { kind: 'url' }, appconda: true },
    { name: '_APP_CONSOLE_WHITELIST_ROOT', default: 'enabled', type: sw },
    { name: '_APP_CONSOLE_WHITELIST_EMAILS', default: '', type: list('email') },
    { name: '_APP_CONSOLE_WHITELIST_IPS', default: '', type: list('ip') },
    { name: '_APP_SYSTEM_EMAIL_NAME', default: 'Appwrite', type: str },
    { name: '_APP_SYSTEM_EMAIL_ADDRESS', default: 'team@appwrite.io', type: email },
    { name: '_APP_SYSTEM_RESPONSE_FORMAT', default: '', type: { kind: 'string', pattern: /^\d+\.\d+\.\d+$/, hint: 'an Appwrite version such as 0.15.0' } },
    { name: '_APP_SYSTEM_SECURITY_EMAIL_ADDRESS', default: 'certs@appwrite.io', type: email },
    { name: '_APP_USAGE_STATS', default: 'enabled', type: sw },
    { name: '_APP_LOGGING_PROVIDER', default: '', type: oneOf(LOGGING_PROVIDERS) },
    { name: '_APP_LOGGING_CONFIG', default: '', type: str, secret: true },
    { name: '_APP_USAGE_AGGREGATION_INTERVAL', default: '30', type: int(1) },
    { name: '_APP_USAGE_TIMESERIES_INTERVAL', default: '30', type: int(1) },
    { name: '_APP_USAGE_DATABASE_INTERVAL', default: '900', type: int(1) },
    { name: '_APP_WORKER_PER_CORE', default: '6', type: int(1) },
    { name: '_APP_PORT', default: '8080', type: listenPort, appconda: true },
    { name: '_APP_REALTIME_PORT', default: '8081', type: listenPort, appconda: true },
    { name: '_APP_EXECUTOR_DRIVER', default: 'process', type: oneOf(EXECUTOR_DRIVERS), appconda: true },
    { name: '_APP_LOG_LEVEL', default: 'info', type: oneOf(LOG_LEVELS), appconda: true },
  ]),
  ...group('redis', [
    { name: '_APP_REDIS_HOST', default: '127.0.0.1', appwriteDefault: 'redis', type: host },
    { name: '_APP_REDIS_PORT', default: '6379', type: port },
    { name: '_APP_REDIS_USER', default: '', type: str },
    { name: '_APP_REDIS_PASS', default: '', type: str, secret: true },
    {
      name: '_APP_REDIS_PREFIX',
      default: 'appconda',
      type: { kind: 'string', pattern: /^[A-Za-z0-9_:-]{1,64}$/, hint: 'letters, digits, _ : - (at most 64)' },
      appconda: true,
    },
  ]),
  ...group('mariadb', [
    { name: '_APP_DB_HOST', default: '127.0.0.1', appwriteDefault: 'mariadb', type: host },
    { name: '_APP_DB_PORT', default: '3306', type: port },
    { name: '_APP_DB_SCHEMA', default: 'appwrite', type: { kind: 'string', pattern: /^[A-Za-z0-9_$]{1,64}$/, hint: 'a MariaDB schema name' } },
    { name: '_APP_DB_USER', default: 'root', appwriteDefault: 'user', type: str },
    { name: '_APP_DB_PASS', default: '', appwriteDefault: 'password', type: str, secret: true },
    { name: '_APP_DB_ROOT_PASS', default: 'rootsecretpassword', type: str, secret: true },
  ]),
  ...group('influxdb', [
    { name: '_APP_INFLUXDB_HOST', default: '127.0.0.1', appwriteDefault: 'influxdb', type: host },
    { name: '_APP_INFLUXDB_PORT', default: '8086', type: port },
  ]),
  ...group('statsd', [
    { name: '_APP_STATSD_HOST', default: 'telegraf', type: host },
    { name: '_APP_STATSD_PORT', default: '8125', type: port },
  ]),
  ...group('smtp', [
    { name: '_APP_SMTP_HOST', default: '', type: host },
    { name: '_APP_SMTP_PORT', default: '', type: port },
    { name: '_APP_SMTP_SECURE', default: '', type: oneOf(SMTP_SECURE) },
    { name: '_APP_SMTP_USERNAME', default: '', type: str },
    { name: '_APP_SMTP_PASSWORD', default: '', type: str, secret: true },
  ]),
  ...group('phone', [
    { name: '_APP_SMS_PROVIDER', default: '', type: { kind: 'smsDsn' }, secret: true },
    { name: '_APP_SMS_FROM', default: '', type: str },
  ]),
  ...group('storage', [
    { name: '_APP_STORAGE_ROOT', default: '.appconda/storage', type: str, appconda: true },
    { name: '_APP_STORAGE_LIMIT', default: '30000000', type: int(0) },
    { name: '_APP_STORAGE_PREVIEW_LIMIT', default: '20000000', type: int(0) },
    { name: '_APP_STORAGE_ANTIVIRUS', default: 'disabled', type: sw },
    { name: '_APP_STORAGE_ANTIVIRUS_HOST', default: 'clamav', type: host },
    { name: '_APP_STORAGE_ANTIVIRUS_PORT', default: '3310', type: port },
    { name: '_APP_STORAGE_DEVICE', default: 'local', type: oneOf(STORAGE_DEVICES) },
    ...device('S3', 'us-east-1'),
    ...device('DO_SPACES', 'us-east-1'),
    ...device('BACKBLAZE', 'us-west-004'),
    ...device('LINODE', 'eu-central-1'),
    ...device('WASABI', 'eu-central-1'),
  ]),
  ...group('functions', [
    { name: '_APP_FUNCTIONS_SIZE_LIMIT', default: '30000000', type: int(0) },
    { name: '_APP_FUNCTIONS_TIMEOUT', default: '900', type: int(1) },
    { name: '_APP_FUNCTIONS_BUILD_TIMEOUT', default: '900', type: int(1) },
    { name: '_APP_FUNCTIONS_CONTAINERS', default: '10', type: int(0) },
    // Passed to Docker's --cpus, which accepts fractions (0.5); 0 means no limit.
    { name: '_APP_FUNCTIONS_CPUS', default: '0', type: { kind: 'number', min: 0 } },
    { name: '_APP_FUNCTIONS_MEMORY', default: '0', type: int(0) },
    { name: '_APP_FUNCTIONS_MEMORY_SWAP', default: '0', type: int(0) },
    { name: '_APP_FUNCTIONS_RUNTIMES', default: 'node-16.0,php-8.0,python-3.9,ruby-3.0', type: list() },
    { name: '_APP_EXECUTOR_SECRET', default: 'your-secret-key', type: str, secret: true },
    { name: '_APP_EXECUTOR_HOST', default: 'http://appwrite-executor/v1', type: { kind: 'url' } },
    { name: '_APP_EXECUTOR_RUNTIME_NETWORK', default: 'appwrite_runtimes', type: str },
    // Deprecated in Appwrite 1.3 in favour of _APP_FUNCTIONS_RUNTIMES; read for compatibility.
    { name: '_APP_FUNCTIONS_ENVS', default: 'node-16.0,php-7.4,python-3.9,ruby-3.0', type: list() },
    { name: '_APP_FUNCTIONS_INACTIVE_THRESHOLD', default: '60', type: int(0) },
    { name: 'DOCKERHUB_PULL_USERNAME', default: '', type: str },
    { name: 'DOCKERHUB_PULL_PASSWORD', default: '', type: str, secret: true },
    { name: 'DOCKERHUB_PULL_EMAIL', default: '', type: email },
    { name: 'OPEN_RUNTIMES_NETWORK', default: 'appwrite_runtimes', type: str },
  ]),
  ...group('maintenance', [
    { name: '_APP_MAINTENANCE_INTERVAL', default: '86400', type: int(1) },
    { name: '_APP_MAINTENANCE_RETENTION_CACHE', default: '2592000', type: int(0) },
    { name: '_APP_MAINTENANCE_RETENTION_EXECUTION', default: '1209600', type: int(0) },
    { name: '_APP_MAINTENANCE_RETENTION_AUDIT', default: '1209600', type: int(0) },
    { name: '_APP_MAINTENANCE_RETENTION_ABUSE', default: '86400', type: int(0) },
    { name: '_APP_MAINTENANCE_RETENTION_USAGE_HOURLY', default: '8640000', type: int(0) },
  ]),
  ...group('graphql', [
    { name: '_APP_GRAPHQL_MAX_BATCH_SIZE', default: '10', type: int(1) },
    { name: '_APP_GRAPHQL_MAX_COMPLEXITY', default: '250', type: int(1) },
    { name: '_APP_GRAPHQL_MAX_DEPTH', default: '3', type: int(1) },
  ]),
];

const BY_NAME: ReadonlyMap<string, VariableSpec> = new Map(VARIABLES.map((spec) => [spec.name, spec]));

/** The spec of one variable, or undefined when Appconda does not know the name. */
export function variableSpec(name: string): VariableSpec | undefined {
  return BY_NAME.get(name);
}
