import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AddressInfo } from 'node:net';

import { guardedServer, createHttpApp, NestFastifyApplication } from './http';
import { HttpPipelineModule } from './http.module';
import { AuthType, Route } from './route';

class EchoDto {
  @IsString() @MaxLength(16) name: string;
  @IsOptional() tags?: unknown;
}

class SearchDto {
  @IsOptional() @IsString() search?: string;
}

@Controller('things')
class ThingsController {
  @Get(':thingId')
  @Route({ auth: [AuthType.Guest], scope: 'public' })
  get(@Param('thingId') thingId: string, @Query() query: SearchDto) {
    return { thingId, query, proto: Object.getPrototypeOf(query) === null ? 'none' : typeof Object.getPrototypeOf(query) };
  }

  @Post()
  @Route({ auth: [AuthType.Guest], scope: 'public', status: 201 })
  create(@Body() dto: EchoDto) {
    return { name: dto.name };
  }
}

@Module({ imports: [HttpPipelineModule], controllers: [ThingsController] })
class ThingsModule {}

const APPWRITE_SHAPE = { message: expect.any(String), code: expect.any(Number), type: expect.any(String), version: expect.any(String) };

describe('createHttpApp: framework errors in the Appwrite shape', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createHttpApp(ThingsModule, 'test', { bodyLimit: 64 * 1024 });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const send = async (options: { method?: string; url: string; payload?: string | Buffer; headers?: Record<string, string> }) => {
    const response = await app.inject({ method: (options.method ?? 'GET') as 'GET', url: options.url, payload: options.payload, headers: options.headers });
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
  };

  const expectError = (answer: { status: number; body: unknown }, status: number, type: string) => {
    expect(answer.body).toEqual({ ...APPWRITE_SHAPE, code: status, type });
    expect(answer.status).toBe(status);
  };

  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf', '__defineGetter__'])('survives ?%s[]=1 and ?%s[0]=1 (the crash of issue 16)', async (name) => {
    for (const url of [`/v1/things/a?${name}[]=1`, `/v1/things/a?${name}[0]=1&${name}[1]=2`, `/v1/things/a?${name}=x&search=s`]) {
      const answer = await send({ url });
      expect(answer.status).toBe(200);
      expect(answer.body.thingId).toBe('a');
    }
  });

  it('a __proto__ query param never replaces the parsed object prototype', async () => {
    const answer = await send({ url: '/v1/things/a?__proto__=x&__proto__[polluted]=1&search=ok' });
    expect(answer.status).toBe(200);
    expect(answer.body.query).toEqual({ search: 'ok' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a bad percent-escape in the path is 400 general_argument_invalid', async () => {
    expectError(await send({ url: '/v1/things/%zz' }), 400, 'general_argument_invalid');
  });

  it('a path param over the maximum length is 400 general_argument_invalid (not 414)', async () => {
    expectError(await send({ url: `/v1/things/${'a'.repeat(101)}` }), 400, 'general_argument_invalid');
  });

  it('an unknown route is 404 general_route_not_found', async () => {
    expectError(await send({ url: '/v1/nothing-here' }), 404, 'general_route_not_found');
  });

  it('a body over the limit is 400 general_argument_invalid', async () => {
    const payload = JSON.stringify({ name: 'x', tags: 'y'.repeat(70 * 1024) });
    expectError(await send({ method: 'POST', url: '/v1/things', payload, headers: { 'content-type': 'application/json' } }), 400, 'general_argument_invalid');
  });

  it('malformed JSON, an unsupported content type and a bad content length are 400 general_argument_invalid', async () => {
    expectError(await send({ method: 'POST', url: '/v1/things', payload: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'general_argument_invalid');
    expectError(await send({ method: 'POST', url: '/v1/things', payload: 'name=x', headers: { 'content-type': 'application/x-unknown' } }), 400, 'general_argument_invalid');
    expectError(await send({ method: 'POST', url: '/v1/things', payload: '{}', headers: { 'content-type': 'application/json; charset=utf-99' } }), 400, 'general_argument_invalid');
  });

  it('a JSON body that is not an object (array, string, number) is 400 before validation', async () => {
    for (const payload of ['[]', '[{"name":"x"}]', '"x"', '1', 'null', 'true']) {
      expectError(await send({ method: 'POST', url: '/v1/things', payload, headers: { 'content-type': 'application/json' } }), 400, 'general_argument_invalid');
    }
  });

  it('a JSON body nested deeper than MAX_BODY_DEPTH is 400; an ordinary nested one passes', async () => {
    const deep = `{"name":"x","tags":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expectError(await send({ method: 'POST', url: '/v1/things', payload: deep, headers: { 'content-type': 'application/json' } }), 400, 'general_argument_invalid');
    const shallow = `{"name":"x","tags":${'['.repeat(30)}${']'.repeat(30)}}`;
    expect((await send({ method: 'POST', url: '/v1/things', payload: shallow, headers: { 'content-type': 'application/json' } })).status).toBe(201);
  });

  it('a nested object with its own "constructor" key is 400, not a class-transformer crash (500)', async () => {
    for (const payload of ['{"name":"x","tags":{"constructor":"x"}}', '{"name":{"constructor":{"a":1}}}']) {
      expectError(await send({ method: 'POST', url: '/v1/things', payload, headers: { 'content-type': 'application/json' } }), 400, 'general_argument_invalid');
    }
  });

  it('a __proto__ key in a JSON body is dropped', async () => {
    const answer = await send({ method: 'POST', url: '/v1/things', payload: '{"name":"x","__proto__":{"polluted":1}}', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('guardedServer', () => {
  it('answers 500 general_unknown when routing throws and keeps serving', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const server = guardedServer((_request, response) => {
      if (calls++ === 0) throw new TypeError('routing failed');
      response.end('ok');
    }, { error: (...args: unknown[]) => errors.push(args) } as never);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const first = await fetch(`${base}/v1/x`);
      expect(first.status).toBe(500);
      expect(await first.json()).toEqual({ ...APPWRITE_SHAPE, code: 500, type: 'general_unknown' });
      const second = await fetch(`${base}/v1/x`);
      expect(await second.text()).toBe('ok');
      expect(errors).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('guardedServer client errors', () => {
  it('answers a request with oversized headers in the Appwrite shape', async () => {
    const server = guardedServer((_request, response) => response.end('ok'), { error: () => undefined } as never);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const response = await fetch(`${base}/v1/x?q=${'a'.repeat(20_000)}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ ...APPWRITE_SHAPE, code: 400, type: 'general_argument_invalid' });
      expect(await (await fetch(`${base}/v1/x`)).text()).toBe('ok');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
