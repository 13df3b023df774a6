import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExecuteRequest } from '@appconda/contracts';

import { BuildRunner } from '../src/build.service';
import { RuntimeDriver } from '../src/driver';
import { ExecutorService } from '../src/executor.service';
import { PoolOptions, RuntimePool } from '../src/runtime-pool';

export const SECRET = 'executor-spec-secret';

/** A storage root of its own for one spec file (removed by `cleanup`). */
export class TestStorage {
  readonly root = mkdtempSync(path.join(tmpdir(), 'appconda-executor-'));
  readonly functions = path.join(this.root, 'functions');
  readonly builds = path.join(this.root, 'builds');
  readonly work = path.join(this.root, 'executor');
  private count = 0;

  constructor() {
    for (const dir of [this.functions, this.builds, this.work]) mkdirSync(dir, { recursive: true });
  }

  /**
   * Writes `files` (and symbolic / hard links) to a folder and packs it as a deployment `.tar.gz` with
   * the system tar; `args` go to tar as they are (e.g. `-P --transform=…` to forge hostile names).
   */
  tarball(files: Record<string, string>, extra: { symlinks?: Record<string, string>; hardlinks?: Record<string, string>; args?: string[] } = {}): string {
    const dir = mkdtempSync(path.join(this.root, 'src-'));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    for (const [name, target] of Object.entries(extra.symlinks ?? {})) symlinkSync(target, path.join(dir, name));
    for (const [name, target] of Object.entries(extra.hardlinks ?? {})) linkSync(path.join(dir, target), path.join(dir, name));
    const file = path.join(this.functions, `code-${(this.count += 1)}.tar.gz`);
    const names = [...Object.keys(files), ...Object.keys(extra.symlinks ?? {}), ...Object.keys(extra.hardlinks ?? {})];
    execFileSync('tar', ['-czf', file, ...(extra.args ?? []), '-C', dir, ...names], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
    return file;
  }

  /** Everything left in the executor's scratch folder and the builds folder. */
  leftovers(): string[] {
    const list = (dir: string) => readdirSync(dir, { recursive: true }).map(String);
    return [...list(this.work).filter((name) => name.startsWith('build-') || name.startsWith('copy-')), ...list(this.builds)];
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The executor's service over a driver, as the module wires it. */
export function executorFor(driver: RuntimeDriver, storage: TestStorage, pool: Partial<PoolOptions> = {}) {
  const runtimes = new RuntimePool(driver, { owner: 'spec', secret: SECRET, maxWarm: 10, inactiveSeconds: 60, ...pool });
  const service = new ExecutorService(driver, runtimes, new BuildRunner(driver, { builds: storage.builds, work: storage.work }), { secret: SECRET, storageRoot: storage.root });
  return { pool: runtimes, service };
}

let deployments = 0;

/** A build request for a fresh deployment id. */
export function buildRequest(source: string, runtime = 'node-18.0', entrypoint = 'index.js') {
  deployments += 1;
  return { secret: SECRET, projectId: 'p1', functionId: 'f1', deploymentId: `d${deployments}${Date.now().toString(36)}`, runtime, source, entrypoint, timeout: 120, variables: {} };
}

export function executeRequest(build: { deploymentId: string; runtime: string; entrypoint: string }, buildPath: string, extra: Partial<ExecuteRequest> = {}): ExecuteRequest {
  return { secret: SECRET, projectId: 'p1', functionId: 'f1', deploymentId: build.deploymentId, runtime: build.runtime, buildPath, entrypoint: build.entrypoint, variables: {}, payload: '', timeout: 10, ...extra };
}

/** A node function answering with what it saw; the payload selects a behaviour. */
export const NODE_FUNCTION = `
const boot = Math.random();
module.exports = async (req, res) => {
  const p = req.payload;
  if (p.startsWith('log:')) {
    const id = p.slice(4);
    for (let i = 0; i < 5; i++) { console.log('out', id, i); console.error('err', id, i); await new Promise((r) => setTimeout(r, Math.random() * 10)); }
    return res.send(id);
  }
  if (p.startsWith('sleep:')) { await new Promise((r) => setTimeout(r, Number(p.slice(6)))); return res.send('slept'); }
  if (p === 'spin') { for (;;) {} }
  if (p === 'throw') throw new Error('thrown on purpose');
  if (p === 'exit') process.exit(3);
  if (p === 'exit-after') { setTimeout(() => process.exit(4), 20); return res.send(String(process.pid)); }
  if (p === 'big') { console.log('x'.repeat(2_500_000)); return res.send('y'.repeat(1_500_000)); }
  if (p === 'status') return res.send('bad', 503);
  res.json({ payload: p, env: process.env.GREETING ?? null, variable: req.variables.GREETING ?? null, pid: process.pid, boot, fnId: process.env.APPWRITE_FUNCTION_ID ?? null });
};
`;
