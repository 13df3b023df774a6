import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, MicroserviceOptions, Payload, RpcException } from '@nestjs/microservices';
import { appConfig, ConfigModule } from '@appconda/config';
import { BuildRequest, ErrorType, ExecuteRequest, ExecutorCommand, executorPattern } from '@appconda/contracts';
import { AppException } from '@appconda/core';
import { overrideEnv, testRedisPrefix } from '@appconda/testing';

import { ExecutorClient, ExecutorUnavailableError } from './executor.client';
import { redisTransport } from './transport.options';

const prefix = testRedisPrefix();
const restoreEnv = overrideEnv({ _APP_REDIS_PREFIX: prefix, _APP_EXECUTOR_SECRET: 'client-spec-secret' });
const received: unknown[] = [];
let releaseLate: () => void = () => undefined;
const late = new Promise<void>((resolve) => (releaseLate = resolve));

@Controller()
class FakeExecutorController {
  @MessagePattern(executorPattern(ExecutorCommand.Build, prefix))
  build(@Payload() request: BuildRequest) {
    received.push(request);
    if (request.functionId === 'unknown-runtime') throw new RpcException(ErrorType.FunctionRuntimeUnsupported);
    return { status: 'ready', path: '/builds/x.tar.gz', size: 3, stdout: 'ok', stderr: '', duration: 0.5 };
  }

  @MessagePattern(executorPattern(ExecutorCommand.Execute, prefix))
  async execute(@Payload() request: ExecuteRequest) {
    received.push(request);
    await late;
    return { statusCode: 200, response: 'late', stdout: '', stderr: '', duration: 5 };
  }
}

@Module({ imports: [ConfigModule], controllers: [FakeExecutorController] })
class FakeExecutorModule {}

class ShortClient extends ExecutorClient {
  protected override margin = 0;
}

const call = { projectId: 'p1', functionId: 'f1', deploymentId: 'd1', runtime: 'node-18.0' };

describe('ExecutorClient (real Redis transport)', () => {
  let executor: INestMicroservice;
  let sut: ShortClient;

  beforeAll(async () => {
    executor = await NestFactory.createMicroservice<MicroserviceOptions>(FakeExecutorModule, { ...redisTransport(appConfig()), logger: false });
    await executor.listen();
    sut = new ShortClient(appConfig());
  });

  afterAll(async () => {
    await sut.onApplicationShutdown();
    releaseLate();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await executor.close();
    restoreEnv();
  });

  it('signs a build with _APP_EXECUTOR_SECRET on the prefixed pattern and returns the result', async () => {
    const result = await sut.build({ ...call, source: '/f/code.tar.gz', entrypoint: 'index.js', timeout: 5, variables: {} });

    expect(result).toMatchObject({ status: 'ready', path: '/builds/x.tar.gz', duration: 0.5 });
    expect(received.at(-1)).toMatchObject({ ...call, secret: 'client-spec-secret', entrypoint: 'index.js' });
  });

  it("rebuilds the executor's {type, code, message} error as the AppException it was", async () => {
    const error = await sut.build({ ...call, functionId: 'unknown-runtime', source: '/x', entrypoint: 'index.js', timeout: 5, variables: {} }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ type: 'function_runtime_unsupported', code: ErrorType.FunctionRuntimeUnsupported.code });
  });

  it("turns an answer later than the request's timeout into ExecutorUnavailableError", async () => {
    const started = Date.now();
    const error = await sut.execute({ ...call, buildPath: '/b', entrypoint: 'index.js', variables: {}, payload: '', timeout: 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExecutorUnavailableError);
    expect(error).toMatchObject({ type: 'general_server_error', command: ExecutorCommand.Execute });
    expect((error as Error).message).toMatch(/did not answer the execute call within 1 s/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('fails at once with a clear error when no executor listens', async () => {
    const error = await sut.deleteRuntime(call).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExecutorUnavailableError);
    expect((error as Error).message).toMatch(/No executor is listening for delete-runtime calls/);
  });
});
