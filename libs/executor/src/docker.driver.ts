import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { serviceLogger } from '@appconda/core';
import Docker from 'dockerode';
import * as tar from 'tar';

import { safeExtract } from './archive';
import { AdoptedRuntime, CappedText, InstallResult, InstallRun, RuntimeDefinition, RuntimeDriver, RuntimeEndpoint } from './driver';
import { waitUntilAnswering } from './http';
import { RuntimeSpec } from './runtimes';

const logger = serviceLogger('executor');
const START_TIMEOUT = 20_000;
const CODE_DIR = '/usr/code';
const LABEL = {
  executor: 'appconda.executor',
  project: 'appconda.project',
  deployment: 'appconda.deployment',
  runtime: 'appconda.runtime',
  build: 'appconda.build',
  role: 'appconda.role',
} as const;

export interface DockerDriverOptions {
  /** The installation's Redis prefix: labels the containers this installation's executors own. */
  owner: string;
  network: string;
  /** `_APP_FUNCTIONS_CPUS` (0: no limit). */
  cpus: number;
  /** `_APP_FUNCTIONS_MEMORY`, MB (0: no limit). */
  memory: number;
  /** `_APP_FUNCTIONS_MEMORY_SWAP`, MB of memory plus swap, as Docker's --memory-swap (0: Docker's default). */
  memorySwap: number;
  workDir: string;
  docker?: Docker;
}

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number })?.statusCode === 404;
}

/**
 * One container per active deployment, started from the locally built `openruntimes/*:v2-*` images,
 * attached to the runtime network only, with the CPU, memory and swap limits of `_APP_FUNCTIONS_*`, all
 * capabilities dropped and no new privileges. The built code is copied into the created container (no
 * host path is mounted). Containers are labelled with the installation, project, deployment and build,
 * so a restarted executor adopts the running ones and removes the others.
 */
export class DockerDriver implements RuntimeDriver {
  readonly kind = 'docker' as const;
  private readonly docker: Docker;
  private readonly images = new Map<string, Promise<string | undefined>>();
  private readonly watchers = new Map<string, () => void>();
  private network?: Promise<void>;

  constructor(private readonly options: DockerDriverOptions) {
    this.docker = options.docker ?? new Docker();
  }

  unavailable(spec: RuntimeSpec): Promise<string | undefined> {
    let known = this.images.get(spec.image);
    if (!known) {
      known = this.docker
        .getImage(spec.image)
        .inspect()
        .then(() => undefined)
        .catch((error: unknown) =>
          isNotFound(error) ? `the image ${spec.image} is not built on this machine (tools/images/build-runtime-images.sh builds it)` : `the Docker engine is not reachable (${(error as Error).message})`,
        );
      this.images.set(spec.image, known);
      // A missing image may be built later: forget the answer after a while.
      setTimeout(() => this.images.delete(spec.image), 30_000).unref();
    }
    return known;
  }

  async install(run: InstallRun): Promise<InstallResult> {
    await this.ensureNetwork();
    const container = await this.docker.createContainer({
      Image: run.spec.image,
      Cmd: ['/bin/sh', '-c', run.script],
      User: '0:0',
      WorkingDir: CODE_DIR,
      Env: [...Object.entries(run.variables).map(([name, value]) => `${name}=${value}`), 'npm_config_update_notifier=false', 'HOME=/tmp'],
      Labels: { [LABEL.executor]: this.options.owner, [LABEL.role]: 'build' },
      HostConfig: { ...this.limits(), NetworkMode: this.options.network },
    });
    try {
      const archive = tar.c({ cwd: run.codeDir, gzip: true, portable: true }, ['.']) as unknown as Readable;
      await container.putArchive(archive, { path: CODE_DIR });
      await container.start();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        container.kill().catch(() => undefined);
      }, run.timeoutSeconds * 1000);
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      clearTimeout(timer);
      const { stdout, stderr } = await this.logs(container);
      if (!timedOut && StatusCode === 0) await this.copyBack(container, run.codeDir);
      return { exitCode: timedOut ? null : StatusCode, stdout, stderr, timedOut };
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  async start(definition: RuntimeDefinition, onExit: () => void): Promise<RuntimeEndpoint> {
    await this.ensureNetwork();
    await this.stop(definition.name);
    const container = await this.docker.createContainer({
      name: definition.name,
      Image: definition.spec.image,
      Env: [`INTERNAL_RUNTIME_KEY=${definition.key}`, `INTERNAL_RUNTIME_ENTRYPOINT=${definition.entrypoint}`],
      Labels: {
        [LABEL.executor]: this.options.owner,
        [LABEL.role]: 'runtime',
        [LABEL.project]: definition.projectId,
        [LABEL.deployment]: definition.deploymentId,
        [LABEL.runtime]: definition.spec.key,
        [LABEL.build]: definition.buildId,
      },
      HostConfig: { ...this.limits(), NetworkMode: this.options.network },
    });
    try {
      await container.putArchive(definition.artifact, { path: CODE_DIR });
      await container.start();
      const url = await this.urlOf(container);
      await waitUntilAnswering(url, definition.key, START_TIMEOUT);
      this.watchContainer(definition.name, container, onExit);
      return { name: definition.name, url };
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw error;
    }
  }

  async stop(name: string): Promise<void> {
    this.watchers.get(name)?.();
    this.watchers.delete(name);
    await this.docker
      .getContainer(name)
      .remove({ force: true })
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
  }

  async adopt(): Promise<AdoptedRuntime[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL.executor}=${this.options.owner}`] } });
    const adopted: AdoptedRuntime[] = [];
    for (const info of containers) {
      const labels = info.Labels ?? {};
      const name = (info.Names?.[0] ?? '').replace(/^\//, '');
      const complete = labels[LABEL.role] === 'runtime' && labels[LABEL.project] && labels[LABEL.deployment] && labels[LABEL.runtime] && labels[LABEL.build];
      const ip = info.NetworkSettings?.Networks?.[this.options.network]?.IPAddress;
      if (info.State === 'running' && complete && ip) {
        adopted.push({ name, url: `http://${ip}:3000`, projectId: labels[LABEL.project], deploymentId: labels[LABEL.deployment], runtime: labels[LABEL.runtime], buildId: labels[LABEL.build] });
        continue;
      }
      logger.info({ event: 'orphan_removed', container: name, state: info.State }, 'removing a runtime container left by a previous executor');
      await this.docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined);
    }
    return adopted;
  }

  watch(name: string, onExit: () => void): void {
    this.watchContainer(name, this.docker.getContainer(name), onExit);
  }

  async close(): Promise<void> {
    // Runtime containers outlive the executor on purpose: the next one adopts them warm.
    for (const stop of this.watchers.values()) stop();
    this.watchers.clear();
  }

  private limits(): Docker.HostConfig {
    const { cpus, memory, memorySwap } = this.options;
    const mb = 1024 * 1024;
    return {
      ...(cpus > 0 ? { NanoCpus: Math.round(cpus * 1e9) } : {}),
      ...(memory > 0 ? { Memory: memory * mb } : {}),
      // Docker refuses a memory+swap total below the memory limit.
      ...(memory > 0 && memorySwap > 0 ? { MemorySwap: Math.max(memorySwap, memory) * mb } : {}),
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: 512,
    };
  }

  private ensureNetwork(): Promise<void> {
    this.network ??= this.docker
      .getNetwork(this.options.network)
      .inspect()
      .then(() => undefined)
      .catch(async (error: unknown) => {
        if (!isNotFound(error)) throw error;
        await this.docker.createNetwork({ Name: this.options.network, Driver: 'bridge', Labels: { [LABEL.executor]: this.options.owner } });
      })
      .catch((error: unknown) => {
        this.network = undefined;
        throw error;
      });
    return this.network;
  }

  private async urlOf(container: Docker.Container): Promise<string> {
    const info = await container.inspect();
    const ip = info.NetworkSettings.Networks?.[this.options.network]?.IPAddress;
    if (!ip) throw new Error(`the container has no address on the ${this.options.network} network`);
    return `http://${ip}:3000`;
  }

  /** Calls `onExit` once if the container stops on its own (crash, OOM kill, docker stop). */
  private watchContainer(name: string, container: Docker.Container, onExit: () => void): void {
    let active = true;
    this.watchers.set(name, () => (active = false));
    container
      .wait()
      .then(() => {
        if (!active) return;
        this.watchers.delete(name);
        logger.warn({ event: 'runtime_exited', runtime: name }, 'runtime container stopped');
        onExit();
      })
      .catch(() => undefined);
  }

  private async logs(container: Docker.Container): Promise<{ stdout: string; stderr: string }> {
    const stdout = new CappedText();
    const stderr = new CappedText();
    const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    // Docker's multiplexed log format: an 8-byte header (stream 1 or 2, then a big-endian length) per frame.
    for (let at = 0; at + 8 <= raw.length; ) {
      const size = raw.readUInt32BE(at + 4);
      (raw[at] === 2 ? stderr : stdout).push(raw.subarray(at + 8, at + 8 + size));
      at += 8 + size;
    }
    return { stdout: stdout.toString(), stderr: stderr.toString() };
  }

  /** Replaces the code folder with the container's (dependencies installed), refusing escaping entries. */
  private async copyBack(container: Docker.Container, codeDir: string): Promise<void> {
    const scratch = await mkdtemp(path.join(this.options.workDir, 'copy-'));
    try {
      const file = path.join(scratch, 'code.tar');
      await pipeline((await container.getArchive({ path: CODE_DIR })) as unknown as Readable, createWriteStream(file));
      await safeExtract(file, path.join(scratch, 'code'), { strip: 1 });
      await rm(codeDir, { recursive: true, force: true });
      await rename(path.join(scratch, 'code'), codeDir);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}
