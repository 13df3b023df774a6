import { randomBytes } from 'node:crypto';

import { getQueueToken, Process, Processor } from '@nestjs/bull';
import { Inject, Injectable, INestApplicationContext, Module, Optional } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Job, Queue } from 'bull';
import Redis from 'ioredis';
import { resetAppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';

import { deleteKeys } from '../test/redis-keys';
import { HandlesJob } from './job-dispatch';
import { JobQueue, jobQueueToken } from './job-queue';
import { QueueModule } from './queue.module';
import { JobContext, JobHandler, jobHandlerToken, QueueProcessor } from './queue.processor';

const Q = QueueName.Deletes;
const prefix = `appconda_t_${randomBytes(4).toString('hex')}`;
const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
const seen: { handler: string; payload: DeleteJob }[] = [];

@Processor(Q)
class DeletesTestProcessor extends QueueProcessor<typeof Q> {
  constructor(@Optional() @Inject(jobHandlerToken(Q)) handler?: JobHandler<typeof Q>) {
    super(Q, handler);
  }

  @Process()
  process(job: Job<DeleteJob>): Promise<unknown> {
    return this.run(job);
  }
}

@Injectable()
@HandlesJob(Q, DeleteJobType.Users, DeleteJobType.Sessions)
class UsersDeletes implements JobHandler<typeof Q> {
  async handle(payload: DeleteJob, _context: JobContext) {
    seen.push({ handler: 'users', payload });
  }
}

@Injectable()
@HandlesJob(Q, DeleteJobType.Projects)
class ProjectsDeletes implements JobHandler<typeof Q> {
  async handle(payload: DeleteJob) {
    seen.push({ handler: 'projects', payload });
  }
}

@Injectable()
@HandlesJob(Q, DeleteJobType.Projects)
class SecondProjectsDeletes extends ProjectsDeletes {}

async function boot(providers: unknown[]): Promise<INestApplicationContext> {
  @Module({ imports: [QueueModule.forWorker(Q, { dispatchByType: true, settings: { lockDuration: 1000, stalledInterval: 300 } })], providers: providers as never[] })
  class WorkerRoot {}
  const app = await Test.createTestingModule({ imports: [WorkerRoot] }).compile();
  await app.init();
  return app;
}

async function waitFor(probe: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('typed job dispatch (real Redis)', () => {
  beforeAll(async () => {
    process.env._APP_REDIS_PREFIX = prefix;
    resetAppConfig();
    await redis.connect();
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('routes each job to the feature handler of its type and fails types nobody handles', async () => {
    const app = await boot([DeletesTestProcessor, UsersDeletes, ProjectsDeletes]);
    const queue = app.get<JobQueue<typeof Q>>(jobQueueToken(Q));
    await queue.add({ type: DeleteJobType.Users, projectId: 'p1', document: { $id: 'u1', $internalId: '1' } });
    await queue.add({ type: DeleteJobType.Projects, projectId: 'p2' });
    const orphanId = await queue.add({ type: DeleteJobType.Buckets, projectId: 'p3', document: { $id: 'b1', $internalId: '2' } }, { attempts: 1 });
    await waitFor(() => seen.length === 2);
    expect(seen.map((s) => [s.handler, s.payload.projectId]).sort()).toEqual([
      ['projects', 'p2'],
      ['users', 'p1'],
    ]);
    const bull = app.get<Queue>(getQueueToken(Q));
    let failed = false;
    for (let i = 0; i < 100 && !failed; i++) {
      failed = (await (await bull.getJob(orphanId))?.isFailed()) ?? false;
      if (!failed) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(failed).toBe(true);
    expect((await bull.getJob(orphanId))?.failedReason).toMatch(/no handler for v1-deletes jobs of type "buckets"/);
    await app.close();
    resetAppConfig();
  });

  it('runs every handler of a type (each capability cleans up its own data)', async () => {
    seen.length = 0;
    const app = await boot([DeletesTestProcessor, ProjectsDeletes, SecondProjectsDeletes]);
    await app.get<JobQueue<typeof Q>>(jobQueueToken(Q)).add({ type: DeleteJobType.Projects, projectId: 'p9' });
    await waitFor(() => seen.length === 2);
    expect(seen.map((s) => s.handler)).toEqual(['projects', 'projects']);
    await app.close();
  });
});
