import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bull';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { MailJob, QueueName } from '@appconda/contracts';
import { JobQueue, jobQueueToken, QueueModule } from '@appconda/queue';

import { LoopbackSmtp, startLoopbackSmtp } from '../../../libs/domain/messaging/src/testing/loopback-smtp';
import { WorkerMailsModule } from './worker-mails.module';

const PREFIX = `appconda_t_${randomBytes(4).toString('hex')}`;
const ENV_KEYS = ['_APP_REDIS_PREFIX', '_APP_SMTP_HOST', '_APP_SMTP_PORT', '_APP_SYSTEM_EMAIL_ADDRESS', '_APP_SYSTEM_EMAIL_NAME', '_APP_LOCALE'];
const saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
const open: INestApplicationContext[] = [];
let smtp: LoopbackSmtp;

async function start(module: Type | ReturnType<typeof QueueModule.forProducer>): Promise<INestApplicationContext> {
  @Module({ imports: [ConfigModule, module] })
  class Root {}
  const app = await Test.createTestingModule({ imports: [Root] }).compile();
  open.push(app);
  await app.init();
  return app;
}

async function deleteKeys(prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

beforeAll(async () => {
  await redis.connect();
  smtp = await startLoopbackSmtp();
  Object.assign(process.env, {
    _APP_REDIS_PREFIX: PREFIX,
    _APP_SMTP_HOST: '127.0.0.1',
    _APP_SMTP_PORT: String(smtp.port),
    _APP_SYSTEM_EMAIL_ADDRESS: 'no-reply@acme.test',
    _APP_SYSTEM_EMAIL_NAME: 'Acme',
    _APP_LOCALE: 'en',
  });
  resetAppConfig();
});

afterAll(async () => {
  for (const app of open.splice(0).reverse()) await app.close();
  await smtp.close();
  await deleteKeys(PREFIX);
  await redis.quit();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetAppConfig();
});

describe('worker-mails (real Redis, loopback SMTP)', () => {
  it('delivers an enqueued mails job to the SMTP server', async () => {
    const api = await start(QueueModule.forProducer(QueueName.Mails));
    await start(WorkerMailsModule);
    const link = 'https://app.acme.test/recovery?userId=u1&secret=abc123&expire=2030-01-01';
    const job: MailJob = {
      recipient: 'ada@example.com',
      name: 'Ada',
      template: 'emails.recovery',
      locale: 'es',
      variables: { redirect: link, project: 'Acme' },
      projectId: 'p1',
    };
    const jobId = await api.get<JobQueue<QueueName.Mails>>(jobQueueToken(QueueName.Mails)).add(job);

    const mail = await smtp.nextMail(15_000);
    expect(mail.envelopeFrom).toBe('no-reply@acme.test');
    expect(mail.envelopeTo).toEqual(['ada@example.com']);
    expect(mail.subject).toBe('Restablece tu contraseña de Acme');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('Hola Ada:');

    const stored = await api.get<Queue>(getQueueToken(QueueName.Mails)).getJob(jobId);
    const until = Date.now() + 5000;
    while ((await stored!.getState()) !== 'completed' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await stored!.getState()).toBe('completed');
  }, 30_000);
});
