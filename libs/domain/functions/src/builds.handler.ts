import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { allowedRuntimes, BuildJob, BuildResult, QueueName } from '@appconda/contracts';
import { generateId, serviceLogger, USAGE_RECORDER, UsageRecorder } from '@appconda/core';
import { BuildEntity, BuildRepository, DeploymentEntity, DeploymentRepository, FunctionRepository, VariableRepository } from '@appconda/database';
import { JobContext, JobHandler } from '@appconda/queue';
import { ExecutorClient, ExecutorUnavailableError } from '@appconda/transport';

import { WorkerEvents } from './function-events';
import { toDeploymentModel } from './functions.dto';

const logger = serviceLogger('worker-builds');
/** Attempts a build job gets (the queue default): the executor being away fails the build only on the last. */
const BUILD_ATTEMPTS = 5;
const DEPLOYMENT_UPDATE = 'functions.[functionId].deployments.[deploymentId].update';

/**
 * worker-builds: builds a deployment on the executor. The build moves `processing` → `building` →
 * `ready`/`failed` with its stdout, stderr and duration; each step emits the deployment's update event.
 * A ready build of a deployment created with `activate` becomes the function's deployment. Builds count
 * as `builds.compute.*` usage. Retried jobs reuse the deployment's build row.
 */
@Injectable()
export class BuildsJobHandler implements JobHandler<QueueName.Builds> {
  constructor(
    private readonly builds: BuildRepository,
    private readonly config: AppConfig,
    private readonly deployments: DeploymentRepository,
    private readonly events: WorkerEvents,
    private readonly executor: ExecutorClient,
    private readonly functions: FunctionRepository,
    private readonly variables: VariableRepository,
    @Optional() @Inject(USAGE_RECORDER) private readonly usage?: UsageRecorder,
  ) {}

  async handle(job: BuildJob, context: JobContext): Promise<{ status: string }> {
    const fn = await this.functions.findByUid(job.projectId, job.functionId);
    const deployment = fn ? await this.deployments.findOfFunction(job.projectId, String(fn.internalId), job.deploymentId) : null;
    if (!fn || !deployment) return { status: 'skipped' };
    let build = await this.buildRow(job.projectId, deployment, fn.runtime);
    build = (await this.builds.update(job.projectId, build.uid, { status: 'building', startTime: new Date(), stdout: '', stderr: '' })) ?? build;
    this.emit(job.projectId, fn.uid, deployment, build);

    const started = Date.now();
    let result: BuildResult;
    if (!allowedRuntimes(this.config.get('functions').runtimes).some((runtime) => runtime.$id === fn.runtime)) {
      result = failed(`Runtime "${fn.runtime}" is not supported on this server (_APP_FUNCTIONS_RUNTIMES).`, 0);
    } else {
      try {
        const own = await this.variables.ofFunction(job.projectId, String(fn.internalId));
        result = await this.executor.build({
          projectId: job.projectId,
          functionId: fn.uid,
          deploymentId: deployment.uid,
          runtime: fn.runtime,
          source: deployment.path,
          entrypoint: deployment.entrypoint,
          timeout: this.config.get('functions').buildTimeout,
          variables: Object.fromEntries(own.map((variable) => [variable.key, variable.value])),
        });
      } catch (error) {
        // The executor away: retry the job while attempts remain, then record the failure.
        if (error instanceof ExecutorUnavailableError && context.attempt < BUILD_ATTEMPTS) throw error;
        result = failed(error instanceof Error ? error.message : String(error), (Date.now() - started) / 1000);
      }
    }
    const finished = await this.builds.update(job.projectId, build.uid, {
      status: result.status,
      outputPath: result.status === 'ready' ? result.path : '',
      stdout: result.stdout ?? '',
      stderr: result.stderr ?? '',
      endTime: new Date(),
      duration: Math.round(Number(result.duration) || 0),
    });
    if (result.status === 'ready' && deployment.activate) await this.functions.update(job.projectId, fn.uid, { deployment: deployment.uid });
    // The deployment's $updatedAt tells clients its build changed (a retry ending as it started is still news).
    const touched = (await this.deployments.update(job.projectId, deployment.uid, { buildId: build.uid })) ?? deployment;
    this.emit(job.projectId, fn.uid, touched, finished ?? build);
    this.count(job.projectId, fn.uid, result);
    logger.info({ event: 'build_finished', projectId: job.projectId, functionId: fn.uid, deploymentId: deployment.uid, status: result.status }, `build ${result.status}`);
    return { status: result.status };
  }

  /** The deployment's build row, created (and linked) on its first build. */
  private async buildRow(projectId: string, deployment: DeploymentEntity, runtime: string): Promise<BuildEntity> {
    const existing = deployment.buildId ? await this.builds.findByUid(projectId, deployment.buildId) : null;
    if (existing) return existing;
    const build = await this.builds.create(projectId, {
      uid: generateId(),
      deploymentId: deployment.uid,
      runtime,
      status: 'processing',
      outputPath: '',
      source: deployment.path,
      sourceType: 'local',
      stdout: '',
      stderr: '',
      duration: 0,
    });
    await this.deployments.update(projectId, deployment.uid, { buildId: build.uid });
    deployment.buildId = build.uid;
    return build;
  }

  private emit(projectId: string, functionId: string, deployment: DeploymentEntity, build: BuildEntity): void {
    this.events.emit(projectId, DEPLOYMENT_UPDATE, { functionId, deploymentId: deployment.uid }, toDeploymentModel(deployment, build));
  }

  /** 1.3 `builds.{scope}.compute`: one build, its outcome, its time in ms. */
  private count(projectId: string, functionId: string, result: BuildResult): void {
    if (!this.usage) return;
    const labels = { functionId };
    this.usage.metric(projectId, 'builds.compute.total', labels);
    this.usage.metric(projectId, result.status === 'ready' ? 'builds.compute.success' : 'builds.compute.failure', labels);
    this.usage.metric(projectId, 'builds.compute.time', labels, Math.round((Number(result.duration) || 0) * 1000));
  }
}

function failed(stderr: string, duration: number): BuildResult {
  return { status: 'failed', path: '', size: 0, stdout: '', stderr, duration };
}
