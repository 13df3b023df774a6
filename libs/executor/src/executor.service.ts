import { createHash, timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  BuildRequest,
  BuildResult,
  DeleteRuntimeRequest,
  ErrorType,
  EXECUTION_OUTPUT_LIMIT,
  ExecuteRequest,
  ExecuteResult,
} from '@appconda/contracts';
import { AppException, serviceLogger } from '@appconda/core';

import { BuildRunner, secondsSince } from './build.service';
import { cutText, RuntimeDriver } from './driver';
import { RuntimeCallError, callRuntime } from './http';
import { PooledRuntime, RuntimePool } from './runtime-pool';
import { RuntimeSpec, runtimeSpec } from './runtimes';

const logger = serviceLogger('executor');
/** Beyond the function's timeout, how long the executor waits for the runtime's own timeout answer. */
const TIMEOUT_GRACE_MS = 1_500;

export interface ExecutorSettings {
  secret: string;
  /** Folder every `source` and `buildPath` must be inside (`_APP_STORAGE_ROOT`). */
  storageRoot: string;
}

function failed(stderr: string, duration = 0): ExecuteResult {
  return { statusCode: 500, response: '', stdout: '', stderr, duration };
}

/**
 * The executor's three commands. Build and execute never throw for problems of the user's code (a
 * failed build, an error, a timeout, a runtime that cannot start are results); they throw an
 * AppException for a wrong secret, an unknown runtime or a path outside the storage root.
 */
export class ExecutorService {
  private readonly secret: Buffer;

  constructor(
    private readonly driver: RuntimeDriver,
    private readonly pool: RuntimePool,
    private readonly builds: BuildRunner,
    private readonly settings: ExecutorSettings,
  ) {
    this.secret = createHash('sha256').update(settings.secret).digest();
  }

  async build(request: BuildRequest): Promise<BuildResult> {
    const spec = this.check(request);
    this.inside(request.source, 'source');
    const result = await this.builds.build(request, spec);
    logger.info({ event: 'build_finished', projectId: request.projectId, deploymentId: request.deploymentId, status: result.status, duration: result.duration }, 'build finished');
    return result;
  }

  async execute(request: ExecuteRequest): Promise<ExecuteResult> {
    const spec = this.check(request);
    this.inside(request.buildPath, 'buildPath');
    const build = await stat(request.buildPath).catch(() => undefined);
    if (!build?.isFile()) throw new AppException(ErrorType.BuildNotFound, `The build artifact of deployment ${request.deploymentId} is missing; build the deployment again.`);
    const reason = await this.driver.unavailable(spec);
    if (reason) return failed(`The ${spec.key} runtime is not available under the ${this.driver.kind} driver: ${reason}.`);
    const buildId = createHash('sha256').update(`${request.buildPath}:${build.size}:${build.mtimeMs}`).digest('hex').slice(0, 12);
    const target = { projectId: request.projectId, deploymentId: request.deploymentId, spec, artifact: request.buildPath, buildId, entrypoint: request.entrypoint };
    // A runtime found dead (nothing reached it) is replaced once; the second failure is the answer.
    for (let attempt = 1; ; attempt += 1) {
      let runtime: PooledRuntime;
      try {
        runtime = await this.pool.acquire(target);
      } catch (error) {
        return failed(`The runtime could not start: ${(error as Error).message}`);
      }
      try {
        return await this.call(runtime, request);
      } catch (error) {
        if (!(error instanceof RuntimeCallError) || error.reason !== 'unreachable' || attempt > 1) return await this.callFailed(runtime, request, error);
        await this.pool.invalidate(runtime);
      } finally {
        this.pool.release(runtime);
      }
    }
  }

  async deleteRuntime(request: DeleteRuntimeRequest): Promise<void> {
    this.check(request);
    await this.pool.deleteDeployment(request.projectId, request.deploymentId);
  }

  /** Refuses a call without the right `_APP_EXECUTOR_SECRET` (compared in constant time). */
  authorize(secret: unknown): void {
    const given = createHash('sha256').update(typeof secret === 'string' ? secret : '').digest();
    if (!timingSafeEqual(given, this.secret)) throw new AppException(ErrorType.GeneralServerError, 'The executor refused the call: its _APP_EXECUTOR_SECRET differs from the caller\'s.');
  }

  private check(request: { secret: string; runtime: string; projectId: string; deploymentId: string }): RuntimeSpec {
    this.authorize(request.secret);
    for (const field of ['projectId', 'deploymentId', 'runtime'] as const) {
      if (typeof request[field] !== 'string' || request[field] === '') throw new AppException(ErrorType.GeneralArgumentInvalid, `The executor call has no ${field}.`);
    }
    const spec = runtimeSpec(request.runtime);
    if (!spec) throw new AppException(ErrorType.FunctionRuntimeUnsupported, `The executor has no runtime "${request.runtime}": node and python runtimes only.`);
    return spec;
  }

  private inside(file: unknown, field: string): void {
    const root = path.resolve(this.settings.storageRoot);
    if (typeof file !== 'string' || !path.resolve(file).startsWith(`${root}${path.sep}`)) {
      throw new AppException(ErrorType.GeneralArgumentInvalid, `The executor call's ${field} must be a file under _APP_STORAGE_ROOT.`);
    }
  }

  private async call(runtime: PooledRuntime, request: ExecuteRequest): Promise<ExecuteResult> {
    const started = process.hrtime.bigint();
    const url = runtime.endpoint?.url;
    // Forgotten between acquire and call (it exited just now): as good as nothing listening.
    if (!url) throw new RuntimeCallError('the runtime exited before the call', 'unreachable');
    const body = JSON.stringify({ variables: request.variables ?? {}, payload: request.payload ?? '', timeout: request.timeout });
    const answer = await callRuntime(url, runtime.key, { body, timeoutMs: request.timeout * 1000 + TIMEOUT_GRACE_MS });
    const duration = secondsSince(started);
    let parsed: { response?: unknown; stdout?: unknown; stderr?: unknown };
    try {
      parsed = JSON.parse(answer.body) as typeof parsed;
    } catch {
      return failed(`The runtime answered ${answer.status} with a body that is not JSON.`, duration);
    }
    const text = (value: unknown) => cutText(typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value), EXECUTION_OUTPUT_LIMIT);
    return { statusCode: answer.status, response: text(parsed.response), stdout: text(parsed.stdout), stderr: text(parsed.stderr), duration };
  }

  private async callFailed(runtime: PooledRuntime, request: ExecuteRequest, error: unknown): Promise<ExecuteResult> {
    // No answer, not even the runtime's own timeout answer a grace period later: its event loop is stuck
    // (a busy loop), so every call on it would hang too. It is replaced; the executor itself is not touched.
    const timedOut = error instanceof RuntimeCallError && error.reason === 'timeout';
    await this.pool.invalidate(runtime);
    if (timedOut) return failed(`Execution timed out after ${request.timeout} s.`, request.timeout);
    return failed(`The runtime stopped during the execution (${(error as Error).message}); the next execution starts a new one.`);
  }
}
