import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { serviceLogger } from '@appconda/core';

import { safeExtract } from './archive';
import { AdoptedRuntime, CappedText, InstallResult, InstallRun, RuntimeDefinition, RuntimeDriver, RuntimeEndpoint } from './driver';
import { RuntimeLanguage, RuntimeSpec } from './runtimes';

const logger = serviceLogger('executor');
/** How long a runtime server may take to print its ready line. */
const START_TIMEOUT = 15_000;

/** The folder holding the v2 runtime servers (`node/server.js`, `python/server.py`), found from here upwards. */
export function runtimeServersDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'runtimes'), path.join(dir, 'libs', 'executor', 'runtimes')]) {
      if (existsSync(path.join(candidate, 'node', 'server.js'))) return candidate;
    }
    if (path.dirname(dir) === dir) throw new Error(`libs/executor/runtimes not found above ${from}`);
  }
}

/** A process group killed as a whole: user code may have started children of its own. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => killGroup(child, 'SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** The environment a runtime or an install step gets: none of the executor's own (secrets) variables. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const pathVar = [path.dirname(process.execPath), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(path.delimiter);
  return { PATH: pathVar, LANG: process.env.LANG ?? 'C.UTF-8', HOME: process.env.HOME ?? '/tmp', ...extra };
}

interface Running {
  child: ChildProcess;
  dir: string;
}

/**
 * Runtimes as child processes on free loopback ports, for laptops and tests (`appconda all`'s default).
 * Node runtimes run on this machine's Node (whatever the runtime's version says); python runtimes on
 * this machine's `python3` when there is one.
 *
 * It does NOT isolate user code: a function runs as the executor's user, can read what that user reads
 * and reach the network. Use the docker driver wherever the code is not trusted.
 */
export class ProcessDriver implements RuntimeDriver {
  readonly kind = 'process' as const;
  private readonly running = new Map<string, Running>();
  private readonly serversDir = runtimeServersDir();
  private python?: string | false;

  constructor(private readonly workDir: string) {}

  async unavailable(spec: RuntimeSpec): Promise<string | undefined> {
    if (spec.language === 'python' && !this.pythonCommand()) return 'python3 is not installed on this machine, which the process driver runs python functions with';
    return undefined;
  }

  async install(run: InstallRun): Promise<InstallResult> {
    const stdout = new CappedText();
    const stderr = new CappedText();
    const env = baseEnv({ ...run.variables, npm_config_cache: path.join(this.workDir, 'npm-cache'), npm_config_update_notifier: 'false' });
    const child = spawn('/bin/sh', ['-c', run.script], { cwd: run.codeDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, run.timeoutSeconds * 1000);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('error', (error) => {
        stderr.push(`${error.message}\n`);
        resolve(null);
      });
      child.once('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    return { exitCode, stdout: stdout.toString(), stderr: stderr.toString(), timedOut };
  }

  async start(definition: RuntimeDefinition, onExit: () => void): Promise<RuntimeEndpoint> {
    await this.stop(definition.name);
    const dir = path.join(this.workDir, 'runtimes', definition.name);
    await rm(dir, { recursive: true, force: true });
    await safeExtract(definition.artifact, dir);
    const { command, server } = this.server(definition.spec.language);
    const env = baseEnv({
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_ENV: 'production',
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      INTERNAL_RUNTIME_KEY: definition.key,
      INTERNAL_RUNTIME_ENTRYPOINT: definition.entrypoint,
      INTERNAL_RUNTIME_CODE: dir,
      INTERNAL_RUNTIME_PARENT: String(process.pid),
    });
    const child = spawn(command, [server], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.running.set(definition.name, { child, dir });
    try {
      const port = await this.ready(child);
      child.once('exit', (code, signal) => {
        if (this.running.get(definition.name)?.child !== child) return;
        this.running.delete(definition.name);
        logger.warn({ event: 'runtime_exited', runtime: definition.name, code, signal }, 'runtime process exited');
        onExit();
      });
      return { name: definition.name, url: `http://127.0.0.1:${port}` };
    } catch (error) {
      await this.stop(definition.name);
      throw error;
    }
  }

  async stop(name: string): Promise<void> {
    const running = this.running.get(name);
    if (!running) return;
    this.running.delete(name);
    await stopChild(running.child);
    await rm(running.dir, { recursive: true, force: true });
  }

  async adopt(): Promise<AdoptedRuntime[]> {
    // Child processes die with the executor (their stdio pipes close): there is nothing to adopt, only
    // the folders of a previous run to remove.
    await rm(path.join(this.workDir, 'runtimes'), { recursive: true, force: true });
    await mkdir(path.join(this.workDir, 'runtimes'), { recursive: true });
    return [];
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.stop(name)));
  }

  private pythonCommand(): string | undefined {
    if (this.python === undefined) {
      const probe = spawnSync('python3', ['--version'], { stdio: 'ignore', timeout: 5_000 });
      this.python = probe.status === 0 ? 'python3' : false;
    }
    return this.python || undefined;
  }

  private server(language: RuntimeLanguage): { command: string; server: string } {
    if (language === 'python') return { command: this.pythonCommand() ?? 'python3', server: path.join(this.serversDir, 'python', 'server.py') };
    return { command: process.execPath, server: path.join(this.serversDir, 'node', 'server.js') };
  }

  /** Resolves the port from the server's ready line; rejects with its stderr if it exits or hangs. */
  private ready(child: ChildProcess): Promise<number> {
    return new Promise((resolve, reject) => {
      const stderr = new CappedText(4_000);
      let stdout = '';
      let started = false;
      const fail = (message: string) => {
        clearTimeout(timer);
        reject(new Error(`${message}${stderr.toString() ? `: ${stderr.toString().trim()}` : ''}`));
      };
      const timer = setTimeout(() => fail(`the runtime did not start within ${START_TIMEOUT / 1000} s`), START_TIMEOUT);
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdout?.on('data', (chunk: Buffer) => {
        // Read on after the ready line too (a full pipe would block the runtime), but keep nothing.
        if (started) return;
        stdout = (stdout + chunk.toString('utf8')).slice(-4_000);
        const match = /runtime listening on [^\s:]+:(\d+)/.exec(stdout);
        if (!match) return;
        started = true;
        clearTimeout(timer);
        resolve(Number(match[1]));
      });
      child.once('error', (error) => fail(`the runtime could not be started (${error.message})`));
      child.once('exit', (code, signal) => fail(`the runtime exited during start (${signal ?? `code ${code}`})`));
    });
  }
}
