import { serviceLogger } from '@appconda/core';
import { ProjectRepository } from '@appconda/database';
import { CONSOLE_PROJECT_ID } from '@appconda/identity';

const logger = serviceLogger('worker-deletes');

const PAGE = 500;

/**
 * Every project id whose rows a sweep must visit: the console itself (its own users, sessions and
 * audit live under `console`), then each project, page by page in insertion order.
 */
export async function* allProjectIds(projects: ProjectRepository): AsyncGenerator<string> {
  yield CONSOLE_PROJECT_ID;
  for (let offset = 0; ; offset += PAGE) {
    const page = await projects.list(CONSOLE_PROJECT_ID, { limit: PAGE, offset });
    for (const project of page) yield project.uid;
    if (page.length < PAGE) return;
  }
}

/** The projects a retention job covers: the one it names, or all of them. */
export function projectsOf(job: { projectId?: string }, projects: ProjectRepository): AsyncIterable<string> {
  if (job.projectId) {
    const projectId = job.projectId;
    return (async function* () {
      yield projectId;
    })();
  }
  return allProjectIds(projects);
}

/** The job's cut-off; a retention job without a valid one fails (so it is dead-lettered, never a sweep of everything). */
export function cutoffOf(job: { type: string; datetime?: string }): Date {
  const cutoff = job.datetime ? new Date(job.datetime) : undefined;
  if (!cutoff || Number.isNaN(cutoff.getTime())) throw new Error(`a ${job.type} delete job needs a valid datetime cut-off, got ${JSON.stringify(job.datetime)}`);
  return cutoff;
}

/**
 * A retention sweep over the job's projects, logged as `event`: `deleteBatch(projectId)` removes up to
 * `batch` rows older than the cut-off and resolves how many went; it is called again while it fills a
 * whole batch.
 */
export async function sweepProjects(
  job: { projectId?: string },
  projects: ProjectRepository,
  sweep: { batch: number; cutoff: Date; event: string; rows: string },
  deleteBatch: (projectId: string) => Promise<number>,
): Promise<{ deleted: number; projects: number }> {
  const result = { deleted: 0, projects: 0 };
  for await (const projectId of projectsOf(job, projects)) {
    result.projects++;
    for (;;) {
      const removed = await deleteBatch(projectId);
      result.deleted += removed;
      if (removed < sweep.batch) break;
    }
  }
  logger.info({ event: sweep.event, cutoff: sweep.cutoff.toISOString(), ...result }, `deleted ${result.deleted} ${sweep.rows}`);
  return result;
}
