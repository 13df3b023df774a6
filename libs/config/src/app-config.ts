import { join as joinPath, resolve as resolvePath } from 'node:path';
import { readVariables, RawEnv, SmsDsn, VariableValue } from './config';
import { AppEnv, ExecutorDriver, LoggingProvider, LogLevel, SmtpSecure, StorageDevice } from './variables';

/** The local volumes, each a directory under `_APP_STORAGE_ROOT` (an absolute path, or relative to the working directory). */
export interface StoragePaths {
  root: string;
  uploads: string;
  cache: string;
  config: string;
  certificates: string;
  functions: string;
  builds: string;
}

function storagePaths(root: string): StoragePaths {
  const base = resolvePath(root);
  const dir = (name: string) => joinPath(base, name);
  return { root: base, uploads: dir('uploads'), cache: dir('cache'), config: dir('config'), certificates: dir('certificates'), functions: dir('functions'), builds: dir('builds') };
}

/** Credentials of one remote storage device (S3-compatible). */
export interface RemoteStorageConfig {
  accessKey: string;
  secret: string;
  region: string;
  bucket: string;
}

/** The typed configuration tree, grouped the way services read it. */
export interface ConfigTree {
  env: AppEnv;
  /** HTTP port of the api app (Appconda; the image sets 80). */
  port: number;
  /** HTTP/WebSocket port of the realtime app (Appconda). */
  realtimePort: number;
  locale: string;
  domain: string;
  domainTarget: string;
  /** Custom domains and TLS: the ACME directory certificates are ordered from, the DNS server that checks CNAMEs (system resolver when undefined). */
  certificates: { acmeDirectory: string; dnsServer?: string };
  opensslKey: string;
  abuse: boolean;
  forceHttps: boolean;
  /** Prefix of every Redis key, Bull queue and transport pattern (Appconda). */
  redisPrefix: string;
  /** pino level of every service (Appconda). */
  logLevel: LogLevel;
  /** Worker processes per CPU core (Appwrite's _APP_WORKER_PER_CORE). */
  workerPerCore: number;
  redis: { host: string; port: number; username?: string; password?: string };
  db: { host: string; port: number; schema: string; user: string; password: string; rootPassword: string };
  console: { whitelistRoot: boolean; whitelistEmails: string[]; whitelistIps: string[] };
  system: { emailName: string; emailAddress: string; securityEmailAddress: string; responseFormat?: string };
  /** Error reporting to an external provider (none when `provider` is undefined). */
  logging: { provider?: Exclude<LoggingProvider, ''>; config?: string };
  usage: { enabled: boolean; aggregationInterval: number; timeseriesInterval: number; databaseInterval: number };
  influxdb: { host: string; port: number };
  statsd: { host: string; port: number };
  /** Mail is sent only when `enabled` (a host is set); Appwrite answers general_smtp_disabled otherwise. */
  smtp: { enabled: boolean; host?: string; port?: number; secure: SmtpSecure; username?: string; password?: string };
  /** Phone auth works only when `enabled`; Appwrite answers general_phone_disabled otherwise. */
  sms: { enabled: boolean; provider?: SmsDsn; from?: string };
  storage: {
    /** Root of the local volumes (Appwrite's /storage): uploads, cache, config, certificates, functions, builds. */
    paths: StoragePaths;
    device: StorageDevice;
    /** Largest file in bytes. */
    limit: number;
    /** Largest image in bytes the preview endpoint transforms. */
    previewLimit: number;
    antivirus: { enabled: boolean; host: string; port: number };
    s3: RemoteStorageConfig;
    dospaces: RemoteStorageConfig;
    backblaze: RemoteStorageConfig;
    linode: RemoteStorageConfig;
    wasabi: RemoteStorageConfig;
  };
  functions: {
    sizeLimit: number;
    /** Seconds. */
    timeout: number;
    /** Seconds. */
    buildTimeout: number;
    containers: number;
    cpus: number;
    /** MB; 0 means no limit. */
    memory: number;
    memorySwap: number;
    /** Enabled runtimes (`node-16.0`, …); `envs` is the deprecated spelling. */
    runtimes: string[];
    envs: string[];
    /** Seconds a runtime may stay idle before the executor removes it. */
    inactiveThreshold: number;
    dockerHub: { username?: string; password?: string; email?: string };
  };
  executor: { driver: ExecutorDriver; host: string; secret: string; runtimeNetwork: string; openRuntimesNetwork: string };
  /** Intervals and retentions in seconds. */
  maintenance: {
    interval: number;
    retention: { abuse: number; audit: number; cache: number; execution: number; usageHourly: number };
  };
  graphql: { maxBatchSize: number; maxComplexity: number; maxDepth: number };
}

/** Validated configuration; read with `config.get('redis')`. Pure over the env object it is given. */
export class AppConfig {
  private readonly tree: ConfigTree;

  /** @throws ConfigError naming every invalid variable. */
  constructor(env: RawEnv = process.env) {
    this.tree = buildTree(readVariables(env));
  }

  get<K extends keyof ConfigTree>(key: K): ConfigTree[K] {
    return this.tree[key];
  }
}

function buildTree(v: Map<string, VariableValue>): ConfigTree {
  const s = (name: string) => v.get(name) as string;
  const opt = (name: string) => (v.get(name) as string) || undefined;
  const n = (name: string) => v.get(name) as number;
  const b = (name: string) => v.get(name) as boolean;
  const l = (name: string) => v.get(name) as string[];
  const remote = (prefix: string): RemoteStorageConfig => ({
    accessKey: s(`_APP_STORAGE_${prefix}_ACCESS_KEY`),
    secret: s(`_APP_STORAGE_${prefix}_SECRET`),
    region: s(`_APP_STORAGE_${prefix}_REGION`),
    bucket: s(`_APP_STORAGE_${prefix}_BUCKET`),
  });
  const smsProvider = v.get('_APP_SMS_PROVIDER') as SmsDsn | undefined;

  return {
    env: s('_APP_ENV') as AppEnv,
    port: n('_APP_PORT'),
    realtimePort: n('_APP_REALTIME_PORT'),
    locale: s('_APP_LOCALE'),
    domain: s('_APP_DOMAIN'),
    domainTarget: s('_APP_DOMAIN_TARGET'),
    certificates: { acmeDirectory: s('_APP_ACME_DIRECTORY'), dnsServer: opt('_APP_DNS') },
    opensslKey: s('_APP_OPENSSL_KEY_V1'),
    abuse: b('_APP_OPTIONS_ABUSE'),
    forceHttps: b('_APP_OPTIONS_FORCE_HTTPS'),
    redisPrefix: s('_APP_REDIS_PREFIX'),
    logLevel: s('_APP_LOG_LEVEL') as LogLevel,
    workerPerCore: n('_APP_WORKER_PER_CORE'),
    redis: { host: s('_APP_REDIS_HOST'), port: n('_APP_REDIS_PORT'), username: opt('_APP_REDIS_USER'), password: opt('_APP_REDIS_PASS') },
    db: {
      host: s('_APP_DB_HOST'),
      port: n('_APP_DB_PORT'),
      schema: s('_APP_DB_SCHEMA'),
      user: s('_APP_DB_USER'),
      password: s('_APP_DB_PASS'),
      rootPassword: s('_APP_DB_ROOT_PASS'),
    },
    console: {
      whitelistRoot: b('_APP_CONSOLE_WHITELIST_ROOT'),
      whitelistEmails: l('_APP_CONSOLE_WHITELIST_EMAILS'),
      whitelistIps: l('_APP_CONSOLE_WHITELIST_IPS'),
    },
    system: {
      emailName: s('_APP_SYSTEM_EMAIL_NAME'),
      emailAddress: s('_APP_SYSTEM_EMAIL_ADDRESS'),
      securityEmailAddress: s('_APP_SYSTEM_SECURITY_EMAIL_ADDRESS'),
      responseFormat: opt('_APP_SYSTEM_RESPONSE_FORMAT'),
    },
    logging: { provider: opt('_APP_LOGGING_PROVIDER') as ConfigTree['logging']['provider'], config: opt('_APP_LOGGING_CONFIG') },
    usage: {
      enabled: b('_APP_USAGE_STATS'),
      aggregationInterval: n('_APP_USAGE_AGGREGATION_INTERVAL'),
      timeseriesInterval: n('_APP_USAGE_TIMESERIES_INTERVAL'),
      databaseInterval: n('_APP_USAGE_DATABASE_INTERVAL'),
    },
    influxdb: { host: s('_APP_INFLUXDB_HOST'), port: n('_APP_INFLUXDB_PORT') },
    statsd: { host: s('_APP_STATSD_HOST'), port: n('_APP_STATSD_PORT') },
    smtp: {
      enabled: s('_APP_SMTP_HOST') !== '',
      host: opt('_APP_SMTP_HOST'),
      port: n('_APP_SMTP_PORT'),
      secure: s('_APP_SMTP_SECURE') as SmtpSecure,
      username: opt('_APP_SMTP_USERNAME'),
      password: opt('_APP_SMTP_PASSWORD'),
    },
    sms: { enabled: smsProvider !== undefined, provider: smsProvider, from: opt('_APP_SMS_FROM') },
    storage: {
      paths: storagePaths(s('_APP_STORAGE_ROOT')),
      device: s('_APP_STORAGE_DEVICE') as StorageDevice,
      limit: n('_APP_STORAGE_LIMIT'),
      previewLimit: n('_APP_STORAGE_PREVIEW_LIMIT'),
      antivirus: { enabled: b('_APP_STORAGE_ANTIVIRUS'), host: s('_APP_STORAGE_ANTIVIRUS_HOST'), port: n('_APP_STORAGE_ANTIVIRUS_PORT') },
      s3: remote('S3'),
      dospaces: remote('DO_SPACES'),
      backblaze: remote('BACKBLAZE'),
      linode: remote('LINODE'),
      wasabi: remote('WASABI'),
    },
    functions: {
      sizeLimit: n('_APP_FUNCTIONS_SIZE_LIMIT'),
      timeout: n('_APP_FUNCTIONS_TIMEOUT'),
      buildTimeout: n('_APP_FUNCTIONS_BUILD_TIMEOUT'),
      containers: n('_APP_FUNCTIONS_CONTAINERS'),
      cpus: n('_APP_FUNCTIONS_CPUS'),
      memory: n('_APP_FUNCTIONS_MEMORY'),
      memorySwap: n('_APP_FUNCTIONS_MEMORY_SWAP'),
      runtimes: l('_APP_FUNCTIONS_RUNTIMES'),
      envs: l('_APP_FUNCTIONS_ENVS'),
      inactiveThreshold: n('_APP_FUNCTIONS_INACTIVE_THRESHOLD'),
      dockerHub: { username: opt('DOCKERHUB_PULL_USERNAME'), password: opt('DOCKERHUB_PULL_PASSWORD'), email: opt('DOCKERHUB_PULL_EMAIL') },
    },
    executor: {
      driver: s('_APP_EXECUTOR_DRIVER') as ExecutorDriver,
      host: s('_APP_EXECUTOR_HOST'),
      secret: s('_APP_EXECUTOR_SECRET'),
      runtimeNetwork: s('_APP_EXECUTOR_RUNTIME_NETWORK'),
      openRuntimesNetwork: s('OPEN_RUNTIMES_NETWORK'),
    },
    maintenance: {
      interval: n('_APP_MAINTENANCE_INTERVAL'),
      retention: {
        abuse: n('_APP_MAINTENANCE_RETENTION_ABUSE'),
        audit: n('_APP_MAINTENANCE_RETENTION_AUDIT'),
        cache: n('_APP_MAINTENANCE_RETENTION_CACHE'),
        execution: n('_APP_MAINTENANCE_RETENTION_EXECUTION'),
        usageHourly: n('_APP_MAINTENANCE_RETENTION_USAGE_HOURLY'),
      },
    },
    graphql: {
      maxBatchSize: n('_APP_GRAPHQL_MAX_BATCH_SIZE'),
      maxComplexity: n('_APP_GRAPHQL_MAX_COMPLEXITY'),
      maxDepth: n('_APP_GRAPHQL_MAX_DEPTH'),
    },
  };
}
