import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { getQueueToken, Process, Processor } from '@nestjs/bull';
import { INestApplicationContext, Inject, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Job, Queue } from 'bull';
import Redis from 'ioredis';
import { resetAppConfig } from '@appconda/config';
import { BuildJobType, JobPayload, QueueName, WebhookJob } from '@appconda/contracts';
import { StartupError } from '@appconda/core';

import { deleteKeys } from '../test/redis-keys';
import { DeadLetters } from './dead-letters';
import { JobQueue, jobQueueToken } from './job-queue';
import { QueueHealth } from './queue.health';
import { QueueModule, WorkerOptions } from './queue.module';
import { JobContext, jobHandlerToken, QueueProcessor } from './queue.processor';

const Q = QueueName.Webhooks;
const FAST: WorkerOptions = { settings: { lockDuration: 1000, stalledInterval: 300 } };
const FILE_PREFIX = `appconda_t_${randomBytes(4).toString('hex')}`;
let testNo = 0;
let prefix: string;
const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
const open: INestApplicationContext[] = [];

type Handle = (payload: WebhookJob, context: JobContext) => Promise<unknown>;

@Processor(Q)
class TestProcessor extends QueueProcessor<typeof Q> {
  constructor(@Inject(jobHandlerToken(Q)) handler: { handle: Handle }) {
    super(Q, handler);
  }

  @Process()
  process(job: Job<WebhookJob>): Promise<unknown> {
    return this.run(job);
  }
}

async function context(module: Type | ReturnType<typeof QueueModule.forProducer>, providers: unknown[] = []): Promise<INestApplicationContext> {
  @Module({ imports: [module], providers: providers as never[] })
  class Root {}
  const app = await Test.createTestingModule({ imports: [Root] }).compile();
  open.push(app);
  await app.init();
  return app;
}

function producer(): Promise<INestApplicationContext> {
  return context(QueueModule.forProducer(Q));
}

function worker(handle: Handle, options: WorkerOptions = FAST): Promise<INestApplicationContext> {
  return context(QueueModule.forWorker(Q, options), [TestProcessor, { provide: jobHandlerToken(Q), useValue: { handle } }]);
}

function payload(n = 1): WebhookJob {
  return { events: ['users.u1.create', 'users.*.create'], payload: { $id: `u${n}`, name: 'Ada' }, projectId: 'p1', userId: 'u1', webhookIds: ['w1', 'w2'] };
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(() => redis.connect());

beforeEach(() => {
  prefix = `${FILE_PREFIX}_${++testNo}`;
  process.env._APP_REDIS_PREFIX = prefix;
  resetAppConfig();
});

afterEach(async () => {
  for (const app of open.splice(0).reverse()) await app.close();
});

afterAll(async () => {
  await deleteKeys(redis, FILE_PREFIX);
  await redis.quit();
});

describe('QueueModule (real Redis)', () => {
  it('delivers the exact payload from a producer context to a worker context', async () => {
    const api = await producer();
    const sut = api.get<JobQueue<typeof Q>>(jobQueueToken(Q));
    const jobId = await sut.add(payload());
    expect(await api.get(QueueHealth).counts(Q)).toEqual({ active: 0, delayed: 0, failed: 0, waiting: 1 });

    const seen: [WebhookJob, JobContext][] = [];
    await worker(async (data, ctx) => void seen.push([data, ctx]));
    await waitFor(() => seen.length === 1);
    expect(seen[0]).toEqual([payload(), { attempt: 1, enqueuedAt: expect.any(Number), jobId, queue: Q }]);
    const job = await api.get<Queue>(getQueueToken(Q)).getJob(jobId);
    await waitFor(async () => (await job!.getState()) === 'completed');
    expect(await redis.exists(`${prefix}:${Q}:${jobId}`)).toBe(1);
  });

  it('retries with backoff, then records a dead letter after the last attempt', async () => {
    const api = await producer();
    const calls: number[] = [];
    await worker(async () => {
      calls.push(Date.now());
      throw new Error('receiver down');
    });
    const jobId = await api.get<JobQueue<typeof Q>>(jobQueueToken(Q)).add(payload(), { attempts: 3, backoff: { type: 'exponential', delay: 100 } });
    const dead = api.get(DeadLetters);
    const [letter] = await waitFor(async () => ((await dead.count(Q)) > 0 ? dead.list(Q) : undefined));

    expect(calls).toHaveLength(3);
    expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(100);
    expect(calls[2] - calls[1]).toBeGreaterThanOrEqual(200);
    expect(letter).toMatchObject({ attempts: 3, error: 'receiver down', jobId, payload: payload(), queue: Q });
    expect(await api.get(QueueHealth).counts(Q)).toMatchObject({ failed: 1, waiting: 0 });
  });

  it('dead-letters an invalid payload at once without calling the handler', async () => {
    const api = await producer();
    const handle = jest.fn();
    await worker(handle);
    const producerQueue = api.get<JobQueue<typeof Q>>(jobQueueToken(Q));
    await producerQueue.add({ projectId: 'p1' } as WebhookJob, { attempts: 5 });
    const dead = api.get(DeadLetters);
    const [letter] = await waitFor(async () => ((await dead.count(Q)) > 0 ? dead.list(Q) : undefined));
    expect(letter.attempts).toBe(1);
    expect(letter.error).toContain('webhookIds must be string[]');
    expect(letter.error).toContain('events must be string[]');
    expect(handle).not.toHaveBeenCalled();
  });

  it('fails (not succeeds) a job when the worker has no handler', async () => {
    const api = await producer();
    @Processor(Q)
    class Unbound extends QueueProcessor<typeof Q> {
      constructor() {
        super(Q, undefined);
      }
      @Process()
      process(job: Job<WebhookJob>): Promise<unknown> {
        return this.run(job);
      }
    }
    await context(QueueModule.forWorker(Q, FAST), [Unbound]);
    await api.get<JobQueue<typeof Q>>(jobQueueToken(Q)).add(payload(), { attempts: 2, backoff: 10 });
    const dead = api.get(DeadLetters);
    const [letter] = await waitFor(async () => ((await dead.count(Q)) > 0 ? dead.list(Q) : undefined));
    expect(letter).toMatchObject({ attempts: 2, error: `no handler is bound to JobHandler:${Q}` });
  });

  it('enqueues once for a repeated jobId (explicit or natural)', async () => {
    const api = await context(QueueModule.forProducer(Q, QueueName.Builds));
    const webhooks = api.get<JobQueue<typeof Q>>(jobQueueToken(Q));
    const first = await webhooks.add(payload(1), { jobId: 'evt-1' });
    const second = await webhooks.add(payload(2), { jobId: 'evt-1' });
    expect(second).toBe(first);
    const builds = api.get<JobQueue<QueueName.Builds>>(jobQueueToken(QueueName.Builds));
    const build: JobPayload[QueueName.Builds] = { deploymentId: 'd1', functionId: 'f1', projectId: 'p1', type: BuildJobType.Deployment };
    expect(await builds.add(build)).toBe(await builds.add({ ...build }));
    const health = api.get(QueueHealth);
    expect((await health.counts(Q)).waiting).toBe(1);
    expect((await health.counts(QueueName.Builds)).waiting).toBe(1);
    const stored = await api.get<Queue>(getQueueToken(Q)).getJob('evt-1');
    expect(stored!.data).toEqual(payload(1));
  });

  it('hands the job of a worker killed mid-job to another worker', async () => {
    const api = await producer();
    const jobId = await api.get<JobQueue<typeof Q>>(jobQueueToken(Q)).add(payload());
    const child = spawn(process.execPath, ['-r', path.join(__dirname, '../test/ts-register.cjs'), path.join(__dirname, '../test/hanging-worker.ts')], {
      env: { ...process.env, _APP_REDIS_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => output.includes(`ACTIVE ${jobId}`), 20_000);
      const queue = api.get<Queue>(getQueueToken(Q));
      expect(await (await queue.getJob(jobId))!.getState()).toBe('active');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }

    const seen: JobContext[] = [];
    await worker(async (_data, ctx) => void seen.push(ctx));
    await waitFor(() => seen.length === 1);
    expect(seen[0].jobId).toBe(jobId);
    const job = await api.get<Queue>(getQueueToken(Q)).getJob(jobId);
    await waitFor(async () => (await job!.getState()) === 'completed');
  }, 30_000);

  it('waits for the active job when the worker shuts down', async () => {
    const api = await producer();
    let finished = false;
    let started = false;
    const app = await worker(async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished = true;
    });
    const jobId = await api.get<JobQueue<typeof Q>>(jobQueueToken(Q)).add(payload());
    await waitFor(() => started);
    open.splice(open.indexOf(app), 1);
    await app.close();
    expect(finished).toBe(true);
    const job = await api.get<Queue>(getQueueToken(Q)).getJob(jobId);
    expect(await job!.getState()).toBe('completed');
  });

  it('fails the boot of a worker app without a processor for its queue', async () => {
    @Module({ imports: [QueueModule.forWorker(Q, FAST)] })
    class WorkerWithoutProcessor {}
    await expect(Test.createTestingModule({ imports: [WorkerWithoutProcessor] }).compile()).rejects.toThrow(StartupError);
    await expect(Test.createTestingModule({ imports: [WorkerWithoutProcessor] }).compile()).rejects.toThrow(/no @Processor\('v1-webhooks'\)/);

    @Processor(QueueName.Audits)
    class OtherQueueProcessor {
      @Process()
      process(): void {}
    }
    @Module({ imports: [QueueModule.forWorker(Q, FAST)], providers: [OtherQueueProcessor] })
    class WorkerWithWrongProcessor {}
    await expect(Test.createTestingModule({ imports: [WorkerWithWrongProcessor] }).compile()).rejects.toThrow(StartupError);
  });
});
