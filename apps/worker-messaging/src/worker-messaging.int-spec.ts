import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bull';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig, ConfigModule, resetAppConfig } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { readMessagingSettings, SmsService } from '@appconda/messaging';
import { JobQueue, jobQueueToken, QueueModule } from '@appconda/queue';

import { WorkerMessagingModule } from './worker-messaging.module';

const PREFIX = `appconda_t_${randomBytes(4).toString('hex')}`;
const saved = process.env._APP_REDIS_PREFIX;
const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
const open: INestApplicationContext[] = [];
const received: Array<{ path: string; auth?: string; body: string }> = [];
let replyStatus = 201;
let api: Server;
let apiUrl: string;

async function start(module: Type | ReturnType<typeof QueueModule.forProducer>, sms?: SmsService): Promise<INestApplicationContext> {
  @Module({ imports: [ConfigModule, module] })
  class Root {}
  const builder = Test.createTestingModule({ imports: [Root] });
  if (sms) builder.overrideProvider(SmsService).useValue(sms);
  const app = await builder.compile();
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

async function until(probe: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  await redis.connect();
  api = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', auth: request.headers.authorization, body });
      response.writeHead(replyStatus, { 'content-type': 'application/json' });
      response.end(JSON.stringify(replyStatus < 300 ? { sid: 'SM1' } : { code: 20003, message: 'Authenticate' }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  process.env._APP_REDIS_PREFIX = PREFIX;
  resetAppConfig();
});

afterAll(async () => {
  for (const app of open.splice(0).reverse()) await app.close();
  await new Promise<void>((resolve) => api.close(() => resolve()));
  await deleteKeys(PREFIX);
  await redis.quit();
  if (saved === undefined) delete process.env._APP_REDIS_PREFIX;
  else process.env._APP_REDIS_PREFIX = saved;
  resetAppConfig();
});

describe('worker-messaging (real Redis, loopback Twilio)', () => {
  it('sends an enqueued SMS through the provider, and a provider error fails the job for a retry', async () => {
    const settings = readMessagingSettings(new AppConfig({ _APP_SMS_PROVIDER: 'sms://AC9:tok@twilio', _APP_SMS_FROM: '+15550001111' }));
    const producer = await start(QueueModule.forProducer(QueueName.Messaging));
    await start(WorkerMessagingModule, new SmsService(settings, { twilio: apiUrl }));
    const queue = producer.get<JobQueue<QueueName.Messaging>>(jobQueueToken(QueueName.Messaging));
    const bull = producer.get<Queue>(getQueueToken(QueueName.Messaging));

    const okId = await queue.add({ recipient: '+491701234567', message: 'Your code is 123456', projectId: 'p1' });
    await until(async () => (await (await bull.getJob(okId))!.getState()) === 'completed');
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe('/2010-04-01/Accounts/AC9/Messages.json');
    expect(received[0].auth).toBe(`Basic ${Buffer.from('AC9:tok').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(received[0].body))).toEqual({ To: '+491701234567', From: '+15550001111', Body: 'Your code is 123456' });

    replyStatus = 401;
    const failingId = await queue.add({ recipient: '+491709999999', message: 'Your code is 654321' }, { attempts: 2, backoff: 10 });
    await until(async () => (await (await bull.getJob(failingId))!.getState()) === 'failed');
    const failed = await bull.getJob(failingId);
    expect(failed!.attemptsMade).toBe(2);
    expect(failed!.failedReason).toMatch(/twilio: HTTP 401: Authenticate/);
  }, 30_000);
});
