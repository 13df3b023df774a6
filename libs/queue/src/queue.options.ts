import { AdvancedSettings, JobOptions, QueueOptions } from 'bull';
import { AppConfig } from '@appconda/config';
import { JobPayload, QueueName } from '@appconda/contracts';

/** Per-call overrides of the queue defaults (tests shorten the backoff; producers may pin a jobId). */
export type EnqueueOptions = Pick<JobOptions, 'attempts' | 'backoff' | 'delay' | 'jobId' | 'priority'>;

/** Production defaults of the worker side: a dead worker's job goes back to waiting after ~30 s. */
export const DEFAULT_WORKER_SETTINGS: Readonly<AdvancedSettings> = {
  // A worker holds a lock on its active job and renews it every lockDuration / 2; a killed worker
  // stops renewing, and the next stalled check (every stalledInterval) moves the job back to waiting.
  lockDuration: 30_000,
  stalledInterval: 30_000,
  // A job that stalls twice (e.g. it crashes the worker each time) fails instead of looping.
  maxStalledCount: 1,
};

const KEEP_COMPLETED = 1000;

/**
 * Queues whose retries wait longer than the 1 s default. Certificates: an ACME server counts failed
 * validations (Let's Encrypt allows five per name and hour), so tries are 1, 2, 4 and 8 minutes apart.
 */
const SLOW_BACKOFF: Partial<Record<QueueName, JobOptions['backoff']>> = {
  [QueueName.Certificates]: { type: 'exponential', delay: 60_000 },
};

/**
 * The one place where job defaults live: five attempts with exponential backoff (1 s, 2 s, 4 s, 8 s;
 * longer for the queues of SLOW_BACKOFF),
 * the last thousand completed jobs kept for inspection, failed jobs kept (they are the dead letters'
 * source of truth), and a deterministic jobId when the payload names a resource that is processed
 * once, so enqueueing the same work twice yields one job.
 */
export function jobOptions<Q extends QueueName>(queue: Q, payload: JobPayload[Q], overrides: EnqueueOptions = {}): JobOptions {
  const jobId = overrides.jobId ?? naturalJobId(queue, payload);
  return {
    attempts: 5,
    backoff: SLOW_BACKOFF[queue] ?? { type: 'exponential', delay: 1000 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
    ...overrides,
    ...(jobId === undefined ? {} : { jobId }),
  };
}

/**
 * The natural id of a job, when its payload has one. Only resources that are never reused qualify
 * (deployments, executions, internal sequences): Bull ignores an add whose jobId still exists, and it
 * keeps completed jobs for a while, so an id that can come back (a domain, a custom `$id`) would swallow
 * later, legitimate work.
 */
export function naturalJobId<Q extends QueueName>(queue: Q, payload: JobPayload[Q]): string | undefined {
  switch (queue) {
    case QueueName.Builds: {
      const job = payload as JobPayload[QueueName.Builds];
      return `${job.projectId}.${job.deploymentId}.${job.type}`;
    }
    case QueueName.Functions: {
      const job = payload as JobPayload[QueueName.Functions];
      return job.executionId ? `${job.projectId}.${job.executionId}` : undefined;
    }
    case QueueName.Databases: {
      const job = payload as JobPayload[QueueName.Databases];
      const ref = job.document?.$internalId;
      return ref ? `${job.projectId}.${job.type}.${ref}` : undefined;
    }
    case QueueName.Deletes: {
      const job = payload as JobPayload[QueueName.Deletes];
      const ref = job.document?.$internalId;
      return ref && job.projectId ? `${job.projectId}.${job.type}.${ref}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The Redis key prefix of every queue key (`<prefix>:<queue>:…`) and dead-letter list (`_APP_REDIS_PREFIX`). */
export function redisPrefix(config: AppConfig): string {
  return config.get('redisPrefix');
}

/** Bull's connection options from AppConfig (shared by every queue of the process). */
export function bullRootOptions(config: AppConfig): QueueOptions {
  const redis = config.get('redis');
  return {
    prefix: redisPrefix(config),
    redis: { host: redis.host, port: redis.port, username: redis.username, password: redis.password },
  };
}
