import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { allowedRuntimes, EXECUTION_OUTPUT_LIMIT, FunctionTrigger } from '@appconda/contracts';
import { AppException, ErrorType, serviceLogger, USAGE_RECORDER, UsageRecorder } from '@appconda/core';
import { BuildEntity, BuildRepository, DeploymentEntity, DeploymentRepository, ExecutionEntity, ExecutionRepository, FunctionEntity, VariableRepository } from '@appconda/database';
import { ExecutorClient } from '@appconda/transport';

const logger = serviceLogger('functions');

/** What an execution is run with besides its function: who and what started it. */
export interface ExecutionInput {
  projectId: string;
  trigger: FunctionTrigger;
  data?: string;
  userId?: string;
  jwt?: string;
  /** Event triggers: the most specific generated name and the payload as JSON. */
  event?: string;
  eventData?: string;
}

/** The parts of a function needed to run it: its active deployment, with a ready build. */
export interface Runnable {
  fn: FunctionEntity;
  deployment: DeploymentEntity;
  build: BuildEntity;
}

/** Cuts a string at `EXECUTION_OUTPUT_LIMIT` bytes (UTF-8) without splitting a character. */
function cut(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  if (Buffer.byteLength(text) <= EXECUTION_OUTPUT_LIMIT) return text;
  return Buffer.from(text).subarray(0, EXECUTION_OUTPUT_LIMIT).toString().replace(/\uFFFD$/, '');
}

/**
 * Runs executions on the executor for the api (sync calls) and worker-functions (async, event and
 * schedule): finds what to run, builds the runtime variables (PROTOCOL §14), calls the executor, stores
 * the outcome and counts the usage (`executions.compute.*` per function).
 */
@Injectable()
export class ExecutionRunner {
  constructor(
    private readonly builds: BuildRepository,
    private readonly config: AppConfig,
    private readonly deployments: DeploymentRepository,
    private readonly executions: ExecutionRepository,
    private readonly executor: ExecutorClient,
    private readonly variables: VariableRepository,
    @Optional() @Inject(USAGE_RECORDER) private readonly usage?: UsageRecorder,
  ) {}

  /** The function's active deployment and its ready build, or the 1.3 error why it cannot run. */
  async runnable(projectId: string, fn: FunctionEntity): Promise<Runnable> {
    if (!allowedRuntimes(this.config.get('functions').runtimes).some((runtime) => runtime.$id === fn.runtime)) {
      throw new AppException(ErrorType.FunctionRuntimeUnsupported, `Runtime "${fn.runtime}" is not supported`);
    }
    const deployment = fn.deployment ? await this.deployments.findOfFunction(projectId, String(fn.internalId), fn.deployment) : null;
    if (!deployment) throw new AppException(ErrorType.DeploymentNotFound, 'Deployment not found. Create a deployment before trying to execute a function');
    const build = deployment.buildId ? await this.builds.findByUid(projectId, deployment.buildId) : null;
    if (!build) throw new AppException(ErrorType.BuildNotFound);
    if (build.status !== 'ready') throw new AppException(ErrorType.BuildNotReady);
    return { fn, deployment, build };
  }

  /** The runtime's variables: the function's own, overridden by the `APPWRITE_FUNCTION_*` ones. */
  async variablesFor(runnable: Runnable, input: ExecutionInput): Promise<Record<string, string>> {
    const { fn, deployment } = runnable;
    const runtime = allowedRuntimes([fn.runtime])[0];
    const own = await this.variables.ofFunction(input.projectId, String(fn.internalId));
    const vars: Record<string, string> = Object.fromEntries(own.map((variable) => [variable.key, variable.value ?? '']));
    Object.assign(vars, {
      APPWRITE_FUNCTION_ID: fn.uid,
      APPWRITE_FUNCTION_NAME: fn.name,
      APPWRITE_FUNCTION_DEPLOYMENT: deployment.uid,
      APPWRITE_FUNCTION_TRIGGER: input.trigger,
      APPWRITE_FUNCTION_PROJECT_ID: input.projectId,
      APPWRITE_FUNCTION_RUNTIME_NAME: runtime?.name ?? '',
      APPWRITE_FUNCTION_RUNTIME_VERSION: runtime?.version ?? '',
      APPWRITE_FUNCTION_EVENT: input.event ?? '',
      APPWRITE_FUNCTION_EVENT_DATA: input.eventData ?? '',
      APPWRITE_FUNCTION_DATA: input.data ?? '',
      APPWRITE_FUNCTION_USER_ID: input.userId ?? '',
      APPWRITE_FUNCTION_JWT: input.jwt ?? '',
    });
    return vars;
  }

  /**
   * Runs a `processing` execution and stores its outcome: `failed` when the runtime answered ≥ 500 (a
   * thrown error, `res.send(x, 500)`, a timeout) or the executor could not run it, else `completed`.
   */
  async run(runnable: Runnable, execution: ExecutionEntity, input: ExecutionInput): Promise<ExecutionEntity> {
    const { fn, deployment, build } = runnable;
    const started = Date.now();
    let outcome: Pick<ExecutionEntity, 'status' | 'statusCode' | 'response' | 'stdout' | 'stderr' | 'duration'>;
    try {
      const result = await this.executor.execute({
        projectId: input.projectId,
        functionId: fn.uid,
        deploymentId: deployment.uid,
        runtime: fn.runtime,
        buildPath: build.outputPath,
        entrypoint: deployment.entrypoint,
        variables: await this.variablesFor(runnable, input),
        payload: input.data ?? '',
        timeout: Number(fn.timeout),
      });
      const statusCode = Number(result.statusCode) || 0;
      outcome = { status: statusCode >= 500 ? 'failed' : 'completed', statusCode, response: cut(result.response), stdout: cut(result.stdout), stderr: cut(result.stderr), duration: Number(result.duration) || 0 };
    } catch (error) {
      logger.warn({ event: 'execution_failed', projectId: input.projectId, functionId: fn.uid, executionId: execution.uid, err: error }, 'the executor could not run the execution');
      const message = error instanceof Error ? error.message : String(error);
      outcome = { status: 'failed', statusCode: 500, response: '', stdout: '', stderr: cut(message), duration: (Date.now() - started) / 1000 };
    }
    const row = (await this.executions.update(input.projectId, execution.uid, outcome)) ?? Object.assign(execution, outcome);
    this.count(input.projectId, fn.uid, row);
    return row;
  }

  /** Usage of one finished execution (1.3 `executions.{scope}.compute`, its status and time in ms). */
  private count(projectId: string, functionId: string, row: ExecutionEntity): void {
    if (!this.usage) return;
    const labels = { functionId };
    this.usage.metric(projectId, 'executions.compute.total', labels);
    this.usage.metric(projectId, row.status === 'failed' ? 'executions.compute.failure' : 'executions.compute.success', labels);
    this.usage.metric(projectId, 'executions.compute.time', labels, Math.round(Number(row.duration) * 1000));
  }
}
