import { existsSync } from 'node:fs';
import { lstat, mkdtemp, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { BuildRequest, BuildResult } from '@appconda/contracts';

import { ArchiveError, packDirectory, safeExtract } from './archive';
import { RuntimeDriver } from './driver';
import { installScript, RuntimeSpec } from './runtimes';

export interface BuildPaths {
  /** Where artifacts go (`_APP_STORAGE_ROOT/builds`). */
  builds: string;
  /** Scratch space of the executor. */
  work: string;
}

class BuildFailure extends Error {}

/** Seconds since `started`, as Appwrite's float durations. */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * One build: unpack the deployment's `.tar.gz` safely, check the entrypoint, install the dependencies
 * with the driver (node: `npm install` when there is a package.json; python: requirements.txt into a
 * virtualenv), bounded by the build timeout, then pack the code folder as the artifact. Anything wrong
 * with the code is a `failed` result whose stderr says why; nothing of a failed build stays on disk.
 */
export class BuildRunner {
  constructor(
    private readonly driver: RuntimeDriver,
    private readonly paths: BuildPaths,
  ) {}

  async build(request: Omit<BuildRequest, 'secret'>, spec: RuntimeSpec): Promise<BuildResult> {
    const started = process.hrtime.bigint();
    const deadline = Date.now() + request.timeout * 1000;
    let stdout = '';
    let stderr = '';
    const scratch = await mkdtemp(path.join(this.paths.work, 'build-'));
    try {
      const reason = await this.driver.unavailable(spec);
      if (reason) throw new BuildFailure(`The ${spec.key} runtime is not available under the ${this.driver.kind} driver: ${reason}.`);
      const codeDir = path.join(scratch, 'code');
      await safeExtract(request.source, codeDir);
      await this.checkEntrypoint(codeDir, request.entrypoint);
      const script = installScript(spec, { packageJson: existsSync(path.join(codeDir, 'package.json')), requirements: existsSync(path.join(codeDir, 'requirements.txt')) });
      if (script) {
        const timeoutSeconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
        const result = await this.driver.install({ script, spec, codeDir, variables: request.variables, timeoutSeconds });
        stdout = result.stdout;
        stderr = result.stderr;
        if (result.timedOut) throw new BuildFailure(`The build timed out after ${request.timeout} s.`);
        if (result.exitCode !== 0) throw new BuildFailure(`Installing the dependencies failed (exit code ${result.exitCode}).`);
      }
      const artifact = path.join(this.paths.builds, `app-${request.projectId}`, `${request.deploymentId}.tar.gz`);
      const size = await packDirectory(codeDir, artifact);
      return { status: 'ready', path: artifact, size, stdout, stderr, duration: secondsSince(started) };
    } catch (error) {
      if (!(error instanceof BuildFailure || error instanceof ArchiveError)) throw error;
      const message = stderr ? `${stderr.trimEnd()}\n${error.message}` : error.message;
      return { status: 'failed', path: '', size: 0, stdout, stderr: message, duration: secondsSince(started) };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private async checkEntrypoint(codeDir: string, entrypoint: string): Promise<void> {
    const missing = new BuildFailure(`The entrypoint "${entrypoint}" does not exist in the deployment's code.`);
    const file = path.resolve(codeDir, entrypoint);
    if (!entrypoint || path.isAbsolute(entrypoint) || !file.startsWith(`${codeDir}${path.sep}`) || !existsSync(file)) throw missing;
    const real = await realpath(file);
    if (!real.startsWith(`${await realpath(codeDir)}${path.sep}`) || !(await lstat(real)).isFile()) throw missing;
  }
}
