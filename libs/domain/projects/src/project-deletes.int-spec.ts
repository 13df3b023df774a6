import { getQueueToken, Process, Processor } from '@nestjs/bull';
import { INestApplicationContext, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue } from 'bull';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { DatabaseModule, KeyRepository, PlatformRepository, ProjectRepository, UserRepository } from '@appconda/database';
import { JobHandler, jobHandlerToken, JobQueue, jobQueueToken, QueueModule, QueueProcessor } from '@appconda/queue';
import { createTestDatabase, deleteRedisKeys, KeyFactory, ProjectFactory, TestDatabase, testRedisPrefix, UserFactory } from '@appconda/testing';
import Redis from 'ioredis';

import { ProjectsModule } from './projects.module';

/** The same thin adapter apps/worker-deletes has (apps cannot be imported from a lib). */
@Processor(QueueName.Deletes)
class TestDeletesProcessor extends QueueProcessor<QueueName.Deletes> {
  constructor(@Inject(jobHandlerToken(QueueName.Deletes)) handler: JobHandler<QueueName.Deletes>) {
    super(QueueName.Deletes, handler);
  }

  @Process()
  process(job: Job<DeleteJob>): Promise<unknown> {
    return this.run(job);
  }
}

/** What worker-deletes imports for project deletes: ProjectsModule, with the queue dispatching by job type. */
@Module({
  imports: [ConfigModule, DatabaseModule.forRoot(), QueueModule.forWorker(QueueName.Deletes, { dispatchByType: true }), ProjectsModule],
  providers: [TestDeletesProcessor],
})
class TestWorkerModule {}

describe('Project deletes through Bull (real MariaDB/Redis)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let prefix: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    Object.assign(process.env, db.env, { _APP_REDIS_PREFIX: prefix });
    resetAppConfig();
    app = await NestFactory.createApplicationContext(TestWorkerModule, { logger: false });
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
    await deleteRedisKeys(redis, prefix);
    await redis.quit();
    await db?.drop();
    process.env = saved;
    resetAppConfig();
  });

  it('removes every row of the deleted project and nothing of the others', async () => {
    const projects = app.get(ProjectRepository);
    const { project: doomed } = await ProjectFactory.from({ name: 'doomed' }).withApiKey().seed({ projects, keys: app.get(KeyRepository) });
    const { project: kept } = await ProjectFactory.from({ name: 'kept' }).withApiKey().seed({ projects, keys: app.get(KeyRepository) });
    for (const projectId of [doomed.uid, kept.uid]) {
      await UserFactory.from({}).create(app.get(UserRepository), projectId);
      await app.get(PlatformRepository).create(projectId, { uid: `pl${projectId}`.slice(0, 36), type: 'web', name: 'w', hostname: 'example.com' });
      await KeyFactory.from({}).create(app.get(KeyRepository), projectId);
    }

    const queue = app.get<JobQueue<QueueName.Deletes>>(jobQueueToken(QueueName.Deletes));
    const id = await queue.add({ type: DeleteJobType.Projects, projectId: doomed.uid, document: { $id: doomed.uid, $internalId: doomed.internalId, collection: 'projects' } });
    const job = await app.get<Queue>(getQueueToken(QueueName.Deletes)).getJob(id);
    const result = (await job!.finished()) as Record<string, number>;

    expect(result).toMatchObject({ KeyRepository: 2, PlatformRepository: 1, UserRepository: 1 });
    for (const repository of [app.get(UserRepository), app.get(PlatformRepository), app.get(KeyRepository)]) {
      expect(await repository.count(doomed.uid)).toBe(0);
      expect(await repository.count(kept.uid)).toBeGreaterThan(0);
    }
    expect(await projects.findByUid('console', doomed.uid)).toBeNull();
    expect(await projects.findByUid('console', kept.uid)).not.toBeNull();
  }, 30_000);
});
