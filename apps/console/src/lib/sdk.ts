/**
 * The one way the console reaches the API: the Appwrite 1.3 console SDK. Console-wide calls go to the
 * `console` project with the user's session; project calls go to the project in admin mode, which the
 * API authorizes through the same console session (X-Appwrite-Mode: admin).
 */
import { Account, Client, Databases, Projects, Teams } from '@appwrite.io/console';

export const CONSOLE_PROJECT = 'console';

export function apiEndpoint(): string {
  return `${window.location.origin}/v1`;
}

const consoleClient = new Client().setEndpoint(apiEndpoint()).setProject(CONSOLE_PROJECT);

export const sdk = {
  account: new Account(consoleClient),
  teams: new Teams(consoleClient),
  projects: new Projects(consoleClient),
};

const projectClients = new Map<string, ReturnType<typeof makeProjectSdk>>();

function makeProjectSdk(projectId: string) {
  const client = new Client().setEndpoint(apiEndpoint()).setProject(projectId).setMode('admin');
  return { databases: new Databases(client) };
}

/** The services of one project, acting as the signed-in console user. */
export function projectSdk(projectId: string): ReturnType<typeof makeProjectSdk> {
  let services = projectClients.get(projectId);
  if (!services) {
    services = makeProjectSdk(projectId);
    projectClients.set(projectId, services);
  }
  return services;
}

/** The message the API gave (Appwrite error bodies carry one), else a generic one. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string' && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}
