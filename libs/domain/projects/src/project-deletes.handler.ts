import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { ProjectRepository, REPOSITORIES, ScopedRepository } from '@appconda/database';
import { CONSOLE_PROJECT_ID } from '@appconda/identity';
import { HandlesJob, JobHandler } from '@appconda/queue';


const logger = serviceLogger('worker-deletes');

/**
 * Removes everything a deleted project owned: every project-scoped table's rows of that project
 * (users, sessions, tokens, teams, memberships, keys, platforms, webhooks, domains, audit, and any
 * table a later repository adds to REPOSITORIES), then the project row if it is still there.
 * Idempotent, so a retried job simply finds less to delete.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Projects)
export class ProjectDeletesHandler implements JobHandler<QueueName.Deletes> {
  constructor(private readonly moduleRef: ModuleRef) {}

  async handle(job: DeleteJob): Promise<Record<string, number>> {
    const projectId = job.document?.$id ?? job.projectId;
    // Never sweep the console: its rows are every console user, team and project.
    if (!projectId || projectId === CONSOLE_PROJECT_ID) throw new Error(`refusing to delete the rows of project "${projectId ?? ''}"`);
    const deleted: Record<string, number> = {};
    for (const type of REPOSITORIES) {
      if (type === ProjectRepository) continue;
      const repository = this.moduleRef.get<ScopedRepository<never>>(type, { strict: false });
      if (!(repository instanceof ScopedRepository)) continue;
      deleted[type.name] = await repository.deleteAll(projectId);
    }
    await this.moduleRef.get(ProjectRepository, { strict: false }).delete(CONSOLE_PROJECT_ID, projectId);
    logger.info({ event: 'project_rows_deleted', projectId, deleted }, `rows of project ${projectId} deleted`);
    return deleted;
  }
}
