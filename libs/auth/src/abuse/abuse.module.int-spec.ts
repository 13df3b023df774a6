import { randomBytes } from 'node:crypto';

import { Body, Controller, Module, Post } from '@nestjs/common';
import Redis from 'ioredis';
import { AuthType, createHttpApp, HttpPipelineModule, NestFastifyApplication, Route } from '@appconda/core';

import { AbuseModule } from './abuse.module';

const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
const prefix = `appconda_t_${randomBytes(4).toString('hex')}`;
const REDIS_CLIENT = Symbol('test redis');

@Controller('account')
class SessionsController {
  @Post('sessions/email')
  @Route({ auth: [AuthType.Guest], scope: 'public', status: 201, rateLimit: { limit: 2, key: 'url:{url},email:{param-email}' } })
  create(@Body() body: { email?: string }) {
    return { email: body.email };
  }
}

@Module({ providers: [{ provide: REDIS_CLIENT, useValue: redis }], exports: [REDIS_CLIENT] })
class TestRedisModule {}

@Module({
  imports: [HttpPipelineModule, AbuseModule.forRoot({ imports: [TestRedisModule], redis: { inject: [REDIS_CLIENT], useFactory: (client: Redis) => client }, options: { prefix, enabled: true } })],
  controllers: [SessionsController],
})
class TestApiModule {}

describe('AbuseModule in the Nest pipeline', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    await redis.connect();
    app = await createHttpApp(TestApiModule, 'auth-test');
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('is picked up by the RouteGuard: headers, template key, 429', async () => {
    const call = () => app.inject({ method: 'POST', url: '/v1/account/sessions/email', headers: { host: 'api.test:80' }, payload: { email: 'a@b.io' } });
    const first = await call();
    expect(first.statusCode).toBe(201);
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    await call();
    const third = await call();
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ type: 'general_rate_limit_exceeded', code: 429 });
    const keys = await redis.keys(`${prefix}:abuse:*`);
    expect(keys).toEqual([expect.stringMatching(new RegExp(`^${prefix}:abuse:console:url:api.test/v1/account/sessions/email,email:a@b.io:\\d+$`))]);
  });
});
