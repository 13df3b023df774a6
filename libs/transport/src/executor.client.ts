import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory } from '@nestjs/microservices';
import { AppConfig } from '@appconda/config';
import {
  BuildRequest,
  BuildResult,
  DeleteRuntimeRequest,
  ErrorDefinition,
  ErrorType,
  ExecuteRequest,
  ExecuteResult,
  ExecutorCommand,
  executorPattern,
} from '@appconda/contracts';
import { AppException } from '@appconda/core';
import type Redis from 'ioredis';
import { firstValueFrom, timeout as within, TimeoutError } from 'rxjs';

import { redisPrefix, redisTransport } from './transport.options';

/** What callers send: the client adds `_APP_EXECUTOR_SECRET` itself. */
export type Unsigned<T> = Omit<T, 'secret'>;

/**
 * Seconds the client waits beyond the request's own timeout: a cold start (a container or child process
 * booting) and the artifact's unpacking come before the user code's clock starts.
 */
export const EXECUTOR_TIMEOUT_MARGIN = 30;
/** Milliseconds a "the executor listens" answer is trusted. */
const LISTENING_TTL = 5_000;
/** Seconds a runtime deletion may take (stopping a container). */
const DELETE_TIMEOUT = 30;

/**
 * The executor could not be reached or did not answer in time. Callers see a 500 `general_server_error`
 * naming the command, the wait, and the likely cause; workers let it propagate so the job is retried.
 */
export class ExecutorUnavailableError extends AppException {
  constructor(
    readonly command: ExecutorCommand,
    message: string,
  ) {
    super(ErrorType.GeneralServerError, message);
    this.name = 'ExecutorUnavailableError';
  }
}

function isErrorBody(value: unknown): value is ErrorDefinition {
  const body = value as Partial<ErrorDefinition> | null;
  return typeof body?.type === 'string' && typeof body.code === 'number' && typeof body.message === 'string';
}

/**
 * The one way the api, worker-builds and worker-functions reach the executor: a Redis-transport RPC on
 * the contract's patterns (prefixed like the health pattern), signed with `_APP_EXECUTOR_SECRET`, bounded
 * by the request's timeout plus {@link EXECUTOR_TIMEOUT_MARGIN}. An `{type, code, message}` error from the
 * executor is rebuilt as the `AppException` it was; a timeout or a lost connection becomes an
 * {@link ExecutorUnavailableError}.
 */
@Injectable()
export class ExecutorClient implements OnApplicationShutdown {
  private readonly prefix: string;
  private readonly secret: string;
  private client?: ClientProxy;
  /** Until when each pattern is known to have a listener (see assertListening). */
  private readonly listening = new Map<string, number>();
  /** Seconds added to each request's own timeout (tests shorten it). */
  protected margin = EXECUTOR_TIMEOUT_MARGIN;

  constructor(private readonly config: AppConfig) {
    this.prefix = redisPrefix(config);
    this.secret = config.get('executor').secret;
  }

  /** Unpacks, installs and packs a deployment; a failed build is a `failed` result, not an error. */
  build(request: Unsigned<BuildRequest>): Promise<BuildResult> {
    return this.call<BuildResult>(ExecutorCommand.Build, request, request.timeout + this.margin);
  }

  /** Runs one execution; a timeout or crash of the user code is a 500 result, not an error. */
  execute(request: Unsigned<ExecuteRequest>): Promise<ExecuteResult> {
    return this.call<ExecuteResult>(ExecutorCommand.Execute, request, request.timeout + this.margin);
  }

  /** Stops the runtimes of a deployment; a deployment without runtimes is not an error. */
  async deleteRuntime(request: Unsigned<DeleteRuntimeRequest>): Promise<void> {
    await this.call<unknown>(ExecutorCommand.DeleteRuntime, request, DELETE_TIMEOUT);
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }

  private async call<T>(command: ExecutorCommand, request: object, seconds: number): Promise<T> {
    const pattern = executorPattern(command, this.prefix);
    try {
      const client = await this.connected();
      await this.assertListening(client, command, pattern);
      return await firstValueFrom(client.send<T>(pattern, { ...request, secret: this.secret }).pipe(within(seconds * 1000)));
    } catch (error) {
      throw this.failure(command, error, seconds);
    }
  }

  private async connected(): Promise<ClientProxy> {
    this.client ??= ClientProxyFactory.create(redisTransport(this.config));
    await this.client.connect();
    return this.client;
  }

  /**
   * A request nobody subscribed to would only fail at its timeout (up to 15 minutes for a build): one
   * PUBSUB NUMSUB round trip turns "no executor running" into an immediate, clear error. A positive
   * answer is trusted for a few seconds, so warm executions do not pay that round trip each time.
   */
  private async assertListening(client: ClientProxy, command: ExecutorCommand, pattern: string): Promise<void> {
    if ((this.listening.get(pattern) ?? 0) > Date.now()) return;
    const [publisher] = client.unwrap<[Redis, Redis]>();
    const [, listeners] = (await publisher.pubsub('NUMSUB', pattern)) as [string, number];
    if (Number(listeners) === 0) {
      this.listening.delete(pattern);
      throw new ExecutorUnavailableError(command, `No executor is listening for ${command} calls; check that the executor service is running.`);
    }
    this.listening.set(pattern, Date.now() + LISTENING_TTL);
  }

  private failure(command: ExecutorCommand, error: unknown, seconds: number): Error {
    if (error instanceof AppException) return error;
    if (isErrorBody(error)) return new AppException(error, error.message);
    if (error instanceof TimeoutError) {
      return new ExecutorUnavailableError(command, `The executor did not answer the ${command} call within ${seconds} s; check that the executor service is running.`);
    }
    const reason = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
    return new ExecutorUnavailableError(command, `The executor ${command} call failed: ${reason}`);
  }
}

/** Provides {@link ExecutorClient} to every module of the app that imports it once. */
@Global()
@Module({ providers: [ExecutorClient], exports: [ExecutorClient] })
export class ExecutorClientModule {}
