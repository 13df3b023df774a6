/**
 * The executor's RPC contract. The executor is the only service that creates runtimes; the api (sync
 * executions), worker-builds and worker-functions reach it over the Redis transport with these
 * message patterns. Every request carries `_APP_EXECUTOR_SECRET`; the executor refuses any other.
 *
 * Paths are absolute paths on volumes both sides mount (`_APP_STORAGE_ROOT`'s functions and builds
 * folders in one-process mode, the `appconda-functions` / `appconda-builds` volumes in compose).
 */

/** The executor's message patterns; like the health pattern they carry the installation's Redis prefix. */
export enum ExecutorCommand {
  /** Unpack a deployment's code, install its dependencies, and store the built artifact. */
  Build = 'build',
  /** Run one execution on the deployment's runtime (started cold when none is warm). */
  Execute = 'execute',
  /** Stop and forget the runtimes of a deployment (deployment deleted or deactivated). */
  DeleteRuntime = 'delete-runtime',
}

export function executorPattern(command: ExecutorCommand, prefix: string): string {
  return `${prefix}.executor.${command}`;
}

interface ExecutorCall {
  /** `_APP_EXECUTOR_SECRET`. */
  secret: string;
  projectId: string;
  functionId: string;
  deploymentId: string;
  /** A runtimes.json key, e.g. `node-18.0`. */
  runtime: string;
}

export interface BuildRequest extends ExecutorCall {
  /** The uploaded `.tar.gz` of the deployment. */
  source: string;
  /** The file the runtime loads, relative to the code folder (`index.js`, `src/main.py`). */
  entrypoint: string;
  /** `_APP_FUNCTIONS_BUILD_TIMEOUT`, seconds. */
  timeout: number;
  /** The function's variables, visible to the build's install step. */
  variables: Record<string, string>;
}

export interface BuildResult {
  status: 'ready' | 'failed';
  /** The built artifact (a `.tar.gz` of the code folder with its dependencies); empty when failed. */
  path: string;
  size: number;
  stdout: string;
  stderr: string;
  /** Seconds, as a float. */
  duration: number;
}

export interface ExecuteRequest extends ExecutorCall {
  /** `BuildResult.path` of the active deployment's build. */
  buildPath: string;
  entrypoint: string;
  /** The function's own variables overlaid by the `APPWRITE_FUNCTION_*` ones. */
  variables: Record<string, string>;
  /** The execution's `data` string. */
  payload: string;
  /** The function's timeout, seconds. */
  timeout: number;
}

export interface ExecuteResult {
  /** The runtime's HTTP status; 500 for a thrown error, a timeout or a runtime that could not start. */
  statusCode: number;
  response: string;
  stdout: string;
  stderr: string;
  /** Seconds, as a float. */
  duration: number;
}

export type DeleteRuntimeRequest = ExecutorCall;

/** Bytes kept of a response, stdout and stderr (Appwrite 1.3 cuts each at 1,000,000). */
export const EXECUTION_OUTPUT_LIMIT = 1_000_000;
