import { ServiceName } from './services';

/**
 * Every durable work queue, one per worker app. The values are the wire names Appwrite 1.3 gives its
 * Resque queues (`v1-audits`, `v1-database`, …), so a queue dashboard reads the same in both systems.
 */
export enum QueueName {
  Audits = 'v1-audits',
  Builds = 'v1-builds',
  Certificates = 'v1-certificates',
  Databases = 'v1-database',
  Deletes = 'v1-deletes',
  Functions = 'v1-functions',
  Mails = 'v1-mails',
  Messaging = 'v1-messaging',
  Usage = 'v1-usage',
  Webhooks = 'v1-webhooks',
}

export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

/** The worker app that consumes each queue (novu's worker mapping table). */
export const QUEUE_SERVICES: Readonly<Record<QueueName, ServiceName>> = {
  [QueueName.Audits]: 'worker-audits',
  [QueueName.Builds]: 'worker-builds',
  [QueueName.Certificates]: 'worker-certificates',
  [QueueName.Databases]: 'worker-databases',
  [QueueName.Deletes]: 'worker-deletes',
  [QueueName.Functions]: 'worker-functions',
  [QueueName.Mails]: 'worker-mails',
  [QueueName.Messaging]: 'worker-messaging',
  // Not a `worker-` app: the usage service consumes the API's counter batches and aggregates them.
  [QueueName.Usage]: 'usage',
  [QueueName.Webhooks]: 'worker-webhooks',
};

/** The queue a worker service consumes, or undefined for services that consume none. */
export function queueOfService(service: ServiceName): QueueName | undefined {
  return QUEUE_NAMES.find((queue) => QUEUE_SERVICES[queue] === service);
}

/** The smallest reference to a stored document a job needs: public id plus the internal sequence. */
export interface DocumentRef {
  $id: string;
  /** The row sequence; unlike `$id` it is never reused after a delete, so it makes a safe dedupe key. */
  $internalId?: string;
}

/** One audit log entry (Appwrite's `Audit::log`). */
export interface AuditEntry {
  /**
   * Unique per entry and given by the API when the request ends, so the insert is idempotent: a
   * retried batch finds its rows already there.
   */
  id: string;
  projectId: string;
  /** Event name, e.g. `users.create` or `databases.[databaseId].collections.[collectionId].documents.create`. */
  event: string;
  /** Resource path, e.g. `database/db1/collection/col1/document/doc1`. */
  resource: string;
  /** Acting user; empty for API-key and guest calls. */
  userId: string;
  userName?: string;
  userEmail?: string;
  /** `admin` for console/API-key calls, `default` otherwise (Appwrite's `mode`). */
  mode: 'admin' | 'default';
  data: Record<string, unknown>;
  ip: string;
  userAgent: string;
  /** ISO 8601 time of the request. */
  time: string;
}

/**
 * The audit entries of one API process's last few milliseconds, written by worker-audits as one
 * multi-row insert: one Bull job per batch instead of one per write request.
 */
export interface AuditJob {
  entries: AuditEntry[];
}

/** Appwrite 1.3 `DATABASE_TYPE_*` values. */
export enum DatabaseJobType {
  CreateAttribute = 'createAttribute',
  CreateIndex = 'createIndex',
  DeleteAttribute = 'deleteAttribute',
  DeleteCollection = 'deleteCollection',
  DeleteDatabase = 'deleteDatabase',
  DeleteIndex = 'deleteIndex',
}

/** Attribute/index DDL and database/collection teardown (Appwrite's `databases` worker). */
export interface DatabaseJob {
  type: DatabaseJobType;
  projectId: string;
  databaseId: string;
  collectionId?: string;
  /** The attribute or index document for the attribute/index types. */
  document?: DocumentRef & { key: string };
  userId?: string;
}

/** Appwrite 1.3 `DELETE_TYPE_*` values. */
export enum DeleteJobType {
  Abuse = 'abuse',
  Audit = 'audit',
  Buckets = 'buckets',
  CacheByResource = 'cacheByResource',
  CacheByTimestamp = 'cacheByTimeStamp',
  Certificates = 'certificates',
  Collections = 'collections',
  Databases = 'databases',
  Deployments = 'deployments',
  Document = 'document',
  Executions = 'executions',
  Functions = 'functions',
  Projects = 'projects',
  Realtime = 'realtime',
  Sessions = 'sessions',
  Teams = 'teams',
  UsageStats = 'usageStats',
  Users = 'users',
}

/** Cascading deletes and retention cleanup (Appwrite's `deletes` worker). */
export interface DeleteJob {
  type: DeleteJobType;
  /** Absent for the retention types that sweep every project (abuse, audit, executions, …). */
  projectId?: string;
  /** The deleted parent whose children go (user, team, bucket, function, collection, …). */
  document?: DocumentRef & { collection?: string };
  /** Retention cut-off (ISO 8601) for the time-based types. */
  datetime?: string;
  /** Cache key for `cacheByResource`; the domain name for `certificates`. */
  resource?: string;
}

/** Appwrite 1.3 `BUILD_TYPE_*` values. */
export enum BuildJobType {
  Deployment = 'deployment',
  Retry = 'retry',
}

/** Builds a function deployment (Appwrite's `builds` worker). */
export interface BuildJob {
  type: BuildJobType;
  projectId: string;
  functionId: string;
  deploymentId: string;
}

/** Issues or renews a TLS certificate for a domain (Appwrite's `certificates` worker). */
export interface CertificateJob {
  domain: string;
  /** Check that the domain's CNAME points at `_APP_DOMAIN_TARGET` before issuing. */
  validateCNAME: boolean;
  /** Check that the domain is a syntactically valid public name. */
  validateTarget: boolean;
  /** The project's custom-domain document when the domain belongs to a project. */
  projectId?: string;
  domainId?: string;
}

/** What started a function execution (`APPWRITE_FUNCTION_TRIGGER`). */
export type FunctionTrigger = 'http' | 'event' | 'schedule';

/** Runs a function (Appwrite's `functions` worker: async HTTP executions, events, schedules). */
export interface FunctionJob {
  trigger: FunctionTrigger;
  projectId: string;
  functionId: string;
  /** The `waiting` execution created by the API for async HTTP calls; the worker creates one otherwise. */
  executionId?: string;
  /** `data` of the execution request (max 8192 chars). */
  data?: string;
  userId?: string;
  /** Fresh JWT for the caller's session, or empty. */
  jwt?: string;
  /** Generated event names, most specific first (event triggers). */
  events?: string[];
  /** JSON of the event payload (event triggers). */
  eventData?: string;
}

/** A transactional mail rendered from a template (Appwrite's `mails` worker). */
export interface MailJob {
  recipient: string;
  name?: string;
  /** Template key, e.g. `emails.verification`, `emails.recovery`, `emails.invitation`, `emails.magicSession`. */
  template: string;
  locale: string;
  /** Values substituted into the subject and body (`{{project}}`, `{{redirect}}`, `{{team}}`, …). */
  variables: Record<string, string>;
  projectId?: string;
}

/** One SMS (Appwrite's `messaging` worker: phone verification and phone sessions). */
export interface MessagingJob {
  /** E.164 phone number. */
  recipient: string;
  message: string;
  projectId?: string;
}

/** One counter of a usage batch: how much a project's metric (with its labels) grew since the last flush. */
export interface UsagePoint {
  projectId: string;
  /** `requests`, `network`, or a route's declared metric such as `documents.requests.create`. */
  metric: string;
  /** Filled label values of the route's declaration, e.g. `{ databaseId, collectionId }`. */
  labels: Record<string, string>;
  value: number;
}

/**
 * The usage counters one API process gathered during one flush interval (Appwrite 1.3 sends them to
 * StatsD one by one; Appconda batches them). The usage service adds them to MariaDB `stats` (and
 * writes them to InfluxDB when it runs).
 */
export interface UsageJob {
  /** ISO 8601 time of the flush: the time of every point of the batch. */
  time: string;
  points: UsagePoint[];
}

/** Delivers one event to the matching webhooks of a project (Appwrite's `webhooks` worker). */
export interface WebhookJob {
  projectId: string;
  /**
   * Webhooks whose `events` intersect `events` (resolved by the producer). The API enqueues one job per
   * webhook, so one failing receiver retries alone.
   */
  webhookIds: string[];
  /** The change's `AppEvent.id`: with the webhook id it names the job, so a change is enqueued once per webhook. */
  eventId?: string;
  /** Every generated event name, joined into `X-Appwrite-Webhook-Events`. */
  events: string[];
  /** The response model sent as the JSON body. */
  payload: Record<string, unknown>;
  userId?: string;
}

/** Payload type of each queue (immich's JobItem map): `JobPayload[QueueName.Mails]` is `MailJob`. */
export interface JobPayload {
  [QueueName.Audits]: AuditJob;
  [QueueName.Builds]: BuildJob;
  [QueueName.Certificates]: CertificateJob;
  [QueueName.Databases]: DatabaseJob;
  [QueueName.Deletes]: DeleteJob;
  [QueueName.Functions]: FunctionJob;
  [QueueName.Mails]: MailJob;
  [QueueName.Messaging]: MessagingJob;
  [QueueName.Usage]: UsageJob;
  [QueueName.Webhooks]: WebhookJob;
}
