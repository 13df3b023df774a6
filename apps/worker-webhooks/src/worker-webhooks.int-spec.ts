import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bull';
import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as sdk from 'node-appwrite';
import { AccountApiModule } from '@appconda/account';
import { ConfigModule } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { CONSOLE_PROJECT_ID, WebhookRepository } from '@appconda/database';
import { DeadLetters } from '@appconda/queue';
import { createTestApi, TestApi } from '@appconda/testing';
import { EVENT_SUBSCRIBERS, EventSubscriber } from '@appconda/transport';
import { UsersApiModule } from '@appconda/users';
import { WEBHOOK_JOB_OPTIONS, WebhookEventsModule, WebhookEventSubscriber } from '@appconda/webhooks';

import { WorkerWebhooksModule } from './worker-webhooks.module';

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** A loopback receiver that records every request and answers with the status its path asks for (`/status/500`). */
async function startReceiver(): Promise<{ server: Server; url: (path: string) => string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
      const status = /\/status\/(\d{3})/.exec(req.url ?? '')?.[1];
      res.writeHead(status ? Number(status) : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, deliveries, url: (path) => `http://127.0.0.1:${port}${path}` };
}

async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhooks: API event subscriber + worker-webhooks (real Bull jobs, loopback receiver)', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let webhooks: WebhookRepository;
  let queue: Queue;
  let projectId: string;
  let users: sdk.Users;

  const hook = (overrides: Partial<Parameters<WebhookRepository['create']>[1]> & { uid: string }, project = projectId) =>
    webhooks.create(project, { name: 'Hook', url: receiver.url('/in'), events: ['users.*.create'], security: true, httpUser: '', httpPass: '', signatureKey: `key-${overrides.uid}`, ...overrides });

  beforeAll(async () => {
    receiver = await startReceiver();
    api = await createTestApi([UsersApiModule, AccountApiModule, WebhookEventsModule], {
      providers: [
        { provide: EVENT_SUBSCRIBERS, inject: [WebhookEventSubscriber], useFactory: (s: EventSubscriber) => [s] },
        { provide: WEBHOOK_JOB_OPTIONS, useValue: { attempts: 3, backoff: { type: 'fixed', delay: 50 } } },
      ],
    });
    @Module({ imports: [ConfigModule, WorkerWebhooksModule] })
    class Worker {}
    worker = await Test.createTestingModule({ imports: [Worker] }).compile();
    await worker.init();
    webhooks = api.app.get(WebhookRepository);
    queue = worker.get<Queue>(getQueueToken(QueueName.Webhooks));
    const seeded = await api.seedProject(['users.read', 'users.write']);
    projectId = seeded.projectId;
    users = new sdk.Users(new sdk.Client().setEndpoint(api.endpoint).setProject(projectId).setKey(seeded.key));
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('POSTs the created user to a subscribed webhook with every header, the signature and basic auth; others get nothing', async () => {
    // Prime the project's webhook cache first: creating a webhook must still take effect at once.
    await users.create(sdk.ID.unique(), 'before@example.com', undefined, 'password123');
    const url = receiver.url('/in?tag=a%20b');
    await hook({ uid: 'subscribed', name: 'Subscribed hook', url, httpUser: 'ada', httpPass: 's3cret', security: false });
    await hook({ uid: 'teamsonly', events: ['teams.*.create', 'users.*.delete'] });
    await hook({ uid: 'otherproject', events: ['users.*.create'] }, 'elsewhere');

    const user = await users.create(sdk.ID.unique(), 'ada@example.com', undefined, 'password123', 'Ada');
    const delivery = await eventually(() => receiver.deliveries.find((d) => JSON.parse(d.raw.toString()).$id === user.$id), 'the webhook POST');

    expect(delivery.path).toBe('/in?tag=a%20b');
    expect(JSON.parse(delivery.raw.toString())).toEqual(JSON.parse(JSON.stringify(user)));
    const headers = delivery.headers;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe('Appwrite-Server v1.3.8. Please report abuse at certs@appwrite.io');
    expect(headers['x-appwrite-webhook-id']).toBe('subscribed');
    expect(headers['x-appwrite-webhook-name']).toBe('Subscribed hook');
    expect(headers['x-appwrite-webhook-project-id']).toBe(projectId);
    expect(headers['x-appwrite-webhook-user-id']).toBe('');
    expect(String(headers['x-appwrite-webhook-events']).split(',')).toEqual(expect.arrayContaining([`users.${user.$id}.create`, 'users.*.create', `users.${user.$id}`, 'users.*']));
    expect(headers.authorization).toBe(`Basic ${Buffer.from('ada:s3cret').toString('base64')}`);
    const expected = createHmac('sha1', 'key-subscribed').update(Buffer.concat([Buffer.from(receiver.url('/in?tag=a b')), delivery.raw])).digest('base64');
    expect(headers['x-appwrite-webhook-signature']).toBe(expected);

    // Only the subscribed webhook got a job; the others (another event, another project) got none.
    await eventually(async () => ((await queue.getJobCounts()).active + (await queue.getJobCounts()).waiting === 0 ? true : undefined), 'the queue to drain');
    const jobs = await queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
    const forUser = jobs.filter((job) => (job.data.payload as { $id?: string }).$id === user.$id);
    expect(forUser.map((job) => job.data.webhookIds)).toEqual([['subscribed']]);
    expect(receiver.deliveries.filter((d) => d.headers['x-appwrite-webhook-id'] !== 'subscribed')).toEqual([]);
    expect(receiver.deliveries.filter((d) => JSON.parse(d.raw.toString()).email === 'before@example.com')).toEqual([]);
  }, 30_000);

  it('retries a receiver that answers 500, then dead-letters the job', async () => {
    await webhooks.deleteAll(projectId);
    await hook({ uid: 'failing', url: receiver.url('/status/500') });
    const user = await users.create(sdk.ID.unique(), 'bob@example.com', undefined, 'password123');
    const letters = worker.get(DeadLetters);
    const letter = await eventually(async () => (await letters.list(QueueName.Webhooks)).find((l) => (l.payload as { payload: { $id: string } }).payload.$id === user.$id), 'the dead letter');
    expect(letter.attempts).toBe(3);
    expect(letter.error).toContain('500');
    const attempts = receiver.deliveries.filter((d) => d.path === '/status/500' && JSON.parse(d.raw.toString()).$id === user.$id);
    expect(attempts).toHaveLength(3);
  }, 30_000);

  it('never delivers events of the console project', async () => {
    await hook({ uid: 'consolehook', events: ['users.*.create', 'users.*'] }, CONSOLE_PROJECT_ID);
    const before = receiver.deliveries.length;
    const res = await fetch(`${api.endpoint}/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-appwrite-project': CONSOLE_PROJECT_ID },
      body: JSON.stringify({ userId: 'unique()', email: 'owner@example.com', password: 'password123' }),
    });
    expect(res.status).toBe(201);
    // A console job that reached the queue anyway is completed without a request.
    const job = await queue.add({ projectId: CONSOLE_PROJECT_ID, webhookIds: ['consolehook'], events: ['users.*.create'], payload: { $id: 'x' } });
    await eventually(async () => ((await job.getState()) === 'completed' ? true : undefined), 'the console job to complete');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.deliveries.length).toBe(before);
    const jobs = await queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
    expect(jobs.filter((j) => j.data.projectId === CONSOLE_PROJECT_ID).map((j) => j.id)).toEqual([job.id]);
  }, 30_000);
});
