/** The service sections of a project, in navigation order; `ready` ones have real pages. */
export interface Section {
  slug: string;
  label: string;
  ready: boolean;
  /** What the section will hold: shown on its empty state until its pages land. */
  about: string;
}

export const SECTIONS: readonly Section[] = [
  { slug: 'auth', label: 'Auth', ready: false, about: 'Users, teams, sessions, login methods and security limits.' },
  { slug: 'databases', label: 'Databases', ready: true, about: 'Databases, collections, attributes, indexes and documents.' },
  { slug: 'storage', label: 'Storage', ready: false, about: 'Buckets and files, with previews and per-file permissions.' },
  { slug: 'functions', label: 'Functions', ready: false, about: 'Functions, deployments, executions and variables.' },
  { slug: 'settings', label: 'Settings', ready: false, about: 'Project name, services, webhooks, custom domains and API keys.' },
];

export function sectionBySlug(slug: string | undefined): Section | undefined {
  return SECTIONS.find((section) => section.slug === slug);
}
