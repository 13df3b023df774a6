import Redis from 'ioredis';

import type { MailJob } from '@appconda/contracts';

import { eventually } from './identity-clients';

/**
 * The mail jobs the API queued on worker-mails' Bull queue (`<prefix>:v1-mails:<id>` hashes keep the
 * job data; completed jobs stay around), read straight from Redis: how the suite gets the secrets of
 * verification, recovery, magic URL and invitation links whatever SMTP the run has.
 */
let redis: Redis | undefined;

function connection(): Redis {
  redis ??= new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: false });
  return redis;
}

export async function closeMailJobs(): Promise<void> {
  await redis?.quit();
  redis = undefined;
}

async function mailJobs(): Promise<Array<MailJob & { jobId: string; finishedOn?: number; failedReason?: string }>> {
  const prefix = process.env.APPCONDA_E2E_REDIS_PREFIX;
  if (!prefix) throw new Error('APPCONDA_E2E_REDIS_PREFIX is not set: run through apps/api-e2e/jest.config.cjs');
  const r = connection();
  const jobs: Array<MailJob & { jobId: string; finishedOn?: number; failedReason?: string }> = [];
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:v1-mails:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const jobId = key.slice(`${prefix}:v1-mails:`.length);
      if (!/^\d+$/.test(jobId) || (await r.type(key)) !== 'hash') continue;
      const [data, finishedOn, failedReason] = await r.hmget(key, 'data', 'finishedOn', 'failedReason');
      if (!data) continue;
      jobs.push({ ...(JSON.parse(data) as MailJob), jobId, finishedOn: finishedOn ? Number(finishedOn) : undefined, failedReason: failedReason ?? undefined });
    }
  } while (cursor !== '0');
  return jobs.sort((a, b) => Number(b.jobId) - Number(a.jobId));
}

/** The newest mail job for `recipient` rendered from `template` (`invitation`, `verification`, `recovery`, `magicSession`), polling. */
export async function waitForMailJob(recipient: string, template: string, filter: (job: MailJob) => boolean = () => true): Promise<MailJob & { jobId: string; finishedOn?: number; failedReason?: string }> {
  return eventually(async () => (await mailJobs()).find((j) => j.recipient.toLowerCase() === recipient.toLowerCase() && (j.template === template || j.template.endsWith(`.${template}`)) && filter(j)), `a ${template} mail job to ${recipient}`);
}

/** The query parameters of the link a mail job carries (`{{link}}`). */
export function linkParams(job: MailJob): URLSearchParams {
  const redirect = job.variables.link ?? job.variables.redirect ?? Object.values(job.variables).find((v) => /^https?:\/\//.test(v));
  if (!redirect) throw new Error(`mail job ${job.template} has no link: ${JSON.stringify(job.variables)}`);
  return new URL(redirect).searchParams;
}
