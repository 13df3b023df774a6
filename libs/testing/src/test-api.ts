import { getQueueToken } from '@nestjs/bull';
import { DynamicModule, Global, Module, Provider, Type } from '@nestjs/common';
import type { Queue } from 'bull';
import { AuditEntry, AuditJob, QueueName } from '@appconda/contracts';
import { resetAppConfig } from '@appconda/config';
import { createHttpApp, HttpPipelineModule, NestFastifyApplication } from '@appconda/core';
import { DatabaseModule, KeyRepository, ProjectEntity, ProjectRepository } from '@appconda/database';
import { AuditTrail, IdentityModule } from '@appconda/identity';
import { RedisModule } from '@appconda/transport';
import Redis from 'ioredis';

import { ProjectFactory } from './factories';
import { createTestDatabase, TestDatabase } from './test-database';
import { deleteRedisKeys, testRedisPrefix } from './test-redis';

export interface TestApi {
  /** Base URL including `/v1`, e.g. for `client.setEndpoint(api.endpoint)`. */
  endpoint: string;
  app: NestFastifyApplication;
  db: TestDatabase;
  redisPrefix: string;
  /** A project with an API key of these scopes; `key` is the raw secret to send. */
  seedProject(scopes?: string[], overrides?: Partial<ProjectEntity>): Promise<{ projectId: string; key: string; project: ProjectEntity }>;
  /**
   * The audit entries the route effects queued and no worker took yet (none runs unless a test starts
   * one), after sending what the API still batches in memory.
   */
  queuedAudits(): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Extra providers visible to every module (e.g. test doubles, option tokens). */
  providers?: Provider[];
  /** Environment for this API (applied before the config is read). */
  env?: Record<string, string>;
}

/**
 * Boots the API pipeline exactly as apps/api composes it — database (a fresh migrated schema),
 * Redis (a fresh key prefix), identity, the route guard and validation — plus the given service
 * modules, listening on a free port. Call `close()` in afterAll: it closes the app, drops the
 * schema and deletes the prefix's Redis keys.
 */
export async function createTestApi(modules: (Type | DynamicModule)[], options: TestApiOptions = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const redisPrefix = testRedisPrefix();
  const previous = { ...process.env };
  Object.assign(process.env, db.env, { _APP_REDIS_PREFIX: redisPrefix }, options.env ?? {});
  resetAppConfig();

  @Global()
  @Module({ providers: options.providers ?? [], exports: (options.providers ?? []).map((p) => ('provide' in p ? p.provide : p)) })
  class TestProvidersModule {}

  @Module({ imports: [TestProvidersModule, DatabaseModule.forRoot(), RedisModule, IdentityModule, HttpPipelineModule, ...modules] })
  class TestApiModule {}

  const app = await createHttpApp(TestApiModule, 'api');
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}/v1`;
  const projects = app.get(ProjectRepository);
  const keys = app.get(KeyRepository);

  return {
    endpoint,
    app,
    db,
    redisPrefix,
    async seedProject(scopes = ['users.read', 'users.write'], overrides = {}) {
      const { project, key } = await ProjectFactory.from(overrides).withApiKey(scopes).seed({ projects, keys });
      return { projectId: project.uid, key: key!.secret, project };
    },
    async queuedAudits() {
      await app.get(AuditTrail).flush();
      const queue = app.get<Queue<AuditJob>>(getQueueToken(QueueName.Audits), { strict: false });
      return (await queue.getJobs(['waiting', 'delayed'])).flatMap((job) => job.data.entries);
    },
    async close() {
      await app.close();
      await db.drop();
      const redis = new Redis({ host: process.env._APP_REDIS_HOST || '127.0.0.1', port: Number(process.env._APP_REDIS_PORT || 6379) });
      await deleteRedisKeys(redis, redisPrefix).finally(() => redis.quit());
      for (const name of Object.keys(process.env)) if (!(name in previous)) delete process.env[name];
      Object.assign(process.env, previous);
      resetAppConfig();
    },
  };
}
