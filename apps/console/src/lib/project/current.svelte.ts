import type { Models } from '@appwrite.io/console';

import { sdk } from '$lib/sdk';
import { Resource } from '$lib/stores/resource.svelte';

// One read per project, shared by the project's layout and its pages (a plain cache: looking a project
// up never writes reactive state, so it is safe inside $derived).
const projects = new Map<string, Resource<Models.Project>>();

/** The project the console is showing, loaded once and reloadable. */
export function projectResource(projectId: string): Resource<Models.Project> {
  let resource = projects.get(projectId);
  if (!resource) {
    resource = new Resource(() => sdk.projects.get(projectId));
    projects.set(projectId, resource);
  }
  return resource;
}
