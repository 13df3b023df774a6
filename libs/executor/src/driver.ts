import { EXECUTION_OUTPUT_LIMIT } from '@appconda/contracts';

import { RuntimeSpec } from './runtimes';

/** What a driver needs to start one runtime (one deployment's built code behind a v2 server). */
export interface RuntimeDefinition {
  /** Unique per deployment and installation; the container or process name. */
  name: string;
  projectId: string;
  deploymentId: string;
  spec: RuntimeSpec;
  /** The build artifact (`.tar.gz` of the code folder). */
  artifact: string;
  /** Identifies the artifact's content: a runtime of an older build of the same deployment is replaced. */
  buildId: string;
  entrypoint: string;
  /** The runtime's `x-internal-challenge`. */
  key: string;
}

/** A started runtime: where its server answers. */
export interface RuntimeEndpoint {
  name: string;
  /** `http://host:port`. */
  url: string;
}

/** A runtime a previous executor left running, as found by {@link RuntimeDriver.adopt}. */
export interface AdoptedRuntime extends RuntimeEndpoint {
  projectId: string;
  deploymentId: string;
  runtime: string;
  buildId: string;
}

export interface InstallRun {
  /** Shell script run in the code folder. */
  script: string;
  spec: RuntimeSpec;
  codeDir: string;
  /** The function's variables, in the install step's environment. */
  variables: Record<string, string>;
  timeoutSeconds: number;
}

export interface InstallResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * How runtimes are created. The executor's pool decides when (cold start, idle clean-up, LRU, deletion);
 * a driver only knows how: child processes on loopback (`process`) or containers (`docker`).
 */
export interface RuntimeDriver {
  readonly kind: 'process' | 'docker';
  /** Undefined when the driver can run this runtime here, else the reason it cannot. */
  unavailable(spec: RuntimeSpec): Promise<string | undefined>;
  /** Runs a build's install step; the code folder is updated in place. */
  install(run: InstallRun): Promise<InstallResult>;
  /** Starts a runtime and resolves once its server answers; `onExit` fires if it dies later. */
  start(definition: RuntimeDefinition, onExit: () => void): Promise<RuntimeEndpoint>;
  stop(name: string): Promise<void>;
  /** Runtimes a previous executor of this installation left running (the others it removes). */
  adopt(): Promise<AdoptedRuntime[]>;
  /** Calls `onExit` if an adopted runtime dies later. */
  watch?(name: string, onExit: () => void): void;
  /** Called once when the executor stops. */
  close(): Promise<void>;
}

/** Collects a stream's text up to the output limit (1,000,000 bytes), dropping the rest. */
export class CappedText {
  private readonly parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = EXECUTION_OUTPUT_LIMIT) {}

  push(chunk: Buffer | string): void {
    if (this.size >= this.limit) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const kept = bytes.length <= this.limit - this.size ? bytes : bytes.subarray(0, this.limit - this.size);
    this.parts.push(kept);
    this.size += kept.length;
  }

  toString(): string {
    const text = Buffer.concat(this.parts).toString('utf8');
    // A cut inside a multi-byte character decodes to U+FFFD: drop that partial character.
    return this.size >= this.limit ? text.replace(/\uFFFD$/, '') : text;
  }
}

/** `text` cut to at most `limit` UTF-8 bytes without splitting a character. */
export function cutText(text: string, limit = EXECUTION_OUTPUT_LIMIT): string {
  if (Buffer.byteLength(text) <= limit) return text;
  return Buffer.from(text).subarray(0, limit).toString('utf8').replace(/\uFFFD$/, '');
}
