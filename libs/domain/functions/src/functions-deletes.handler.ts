import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { BuildRepository, CONSOLE_PROJECT_ID, DeploymentEntity, DeploymentRepository, ExecutionRepository, FunctionRepository, ScheduleRepository, VariableRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';
import { ExecutorClient } from '@appconda/transport';
import { rm } from 'node:fs/promises';
import path from 'node:path';

import { chunkFolder, codeKey, deploymentFolder } from './deployments.service';

const logger = serviceLogger('worker-deletes');

/**
 * Functions' part of worker-deletes, idempotent: a deleted deployment's code, build artifact, build row
 * and runtimes; a deleted function's deployments, executions, variables and schedule; a deleted
 * project's functions altogether (rows, the code folder). Runtimes are stopped through the executor;
 * one it cannot reach is left to its idle clean-up (logged), never blocking the delete.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Functions, DeleteJobType.Deployments, DeleteJobType.Projects)
export class FunctionsDeletesHandler implements JobHandler<QueueName.Deletes> {
  private readonly functionsRoot: string;

  constructor(
    private readonly builds: BuildRepository,
    config: AppConfig,
    private readonly deployments: DeploymentRepository,
    private readonly executions: ExecutionRepository,
    private readonly executor: ExecutorClient,
    private readonly functions: FunctionRepository,
    private readonly schedules: ScheduleRepository,
    private readonly variables: VariableRepository,
  ) {
    this.functionsRoot = path.resolve(config.get('storage').paths.functions);
  }

  async handle(job: DeleteJob): Promise<{ deployments: number }> {
    if (job.type === DeleteJobType.Projects) return this.deleteProject(job.document?.$id ?? job.projectId);
    const { projectId, document } = job;
    if (!projectId || !document?.$internalId) throw new Error(`a ${job.type} delete job needs projectId and the document's $internalId`);
    if (job.type === DeleteJobType.Deployments) {
      const deployment = await this.deployments.findByInternalId(projectId, document.$internalId);
      await this.removeDeploymentFiles(projectId, deployment ?? null, document.$id);
      if (deployment) await this.deployments.delete(projectId, deployment.uid);
      return { deployments: 1 };
    }
    const functionInternalId = document.$internalId;
    let removed = 0;
    for (;;) {
      const page = await this.deployments.list(projectId, { where: { functionInternalId }, limit: 100 });
      if (!page.length) break;
      for (const deployment of page) {
        await this.removeDeploymentFiles(projectId, deployment, deployment.uid, document.$id);
        await this.deployments.delete(projectId, deployment.uid);
        removed++;
      }
    }
    await this.executions.deleteWhere(projectId, { functionInternalId });
    await this.variables.deleteWhere(projectId, { functionInternalId });
    await this.schedules.deleteFunction(projectId, document.$id);
    return { deployments: removed };
  }

  private async deleteProject(projectId: string | undefined): Promise<{ deployments: number }> {
    if (!projectId || projectId === CONSOLE_PROJECT_ID) throw new Error(`refusing to delete the functions of project "${projectId ?? ''}"`);
    let removed = 0;
    for (;;) {
      const page = await this.deployments.list(projectId, { limit: 100 });
      if (!page.length) break;
      for (const deployment of page) {
        await this.removeDeploymentFiles(projectId, deployment, deployment.uid);
        await this.deployments.delete(projectId, deployment.uid);
        removed++;
      }
    }
    await rm(path.join(this.functionsRoot, deploymentFolder(projectId)), { recursive: true, force: true });
    for (const repository of [this.builds, this.executions, this.variables, this.functions]) await repository.deleteAll(projectId);
    await this.schedules.deleteProject(projectId);
    return { deployments: removed };
  }

  /** The code, the build artifact and row, and the runtimes of one deployment. */
  private async removeDeploymentFiles(projectId: string, deployment: DeploymentEntity | null, deploymentId: string, functionId = deployment?.resourceId ?? ''): Promise<void> {
    // The api removed the row already: the code sits where every deployment's does (and an unfinished upload's chunks beside it).
    await rm(deployment?.path || path.join(this.functionsRoot, codeKey(projectId, deploymentId)), { force: true });
    await rm(path.join(this.functionsRoot, chunkFolder(projectId, deploymentId)), { recursive: true, force: true });
    const builds = await this.builds.list(projectId, { where: { deploymentId }, limit: 100 });
    for (const build of builds) {
      if (build.outputPath) await rm(build.outputPath, { force: true, recursive: true });
      await this.builds.delete(projectId, build.uid);
    }
    await this.executor.deleteRuntime({ projectId, functionId, deploymentId, runtime: '' }).catch((err: unknown) => {
      logger.warn({ event: 'runtime_delete_failed', projectId, deploymentId, err }, 'could not stop the deployment runtimes; the executor idle clean-up will');
    });
  }
}
