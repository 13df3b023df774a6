import { ProjectRepository } from '@appconda/database';
import { CONSOLE_PROJECT_ID } from '@appconda/identity';

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
