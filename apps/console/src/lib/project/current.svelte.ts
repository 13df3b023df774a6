import type { Models } from '@appwrite.io/console';

import { sdk } from '$lib/sdk';
import { Resource } from '$lib/stores/resource.svelte';

/** The project the console is showing: one read shared by the project's layout and its pages. */
class CurrentProject {
  id = $state('');
  resource = $state<Resource<Models.Project> | null>(null);

  open(projectId: string): Resource<Models.Project> {
    if (this.id !== projectId || !this.resource) {
      this.id = projectId;
      this.resource = new Resource(() => sdk.projects.get(projectId));
    }
    return this.resource;
  }
}

export const currentProject = new CurrentProject();
