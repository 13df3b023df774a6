import { ChildProcess, spawn } from 'node:child_process';
import { Dirent, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@appconda/testing';

const root = path.resolve(__dirname, '../../../..');

/**
 * The run's `_APP_STORAGE_ROOT`: global-setup derives it from the same run id as the schema
 * (`appconda_e2e_<run>` → `<tmpdir>/appconda-e2e-<run>`). Uploads live in its `uploads` folder.
 */
export function storageRoot(): string {
  const schema = process.env.APPCONDA_E2E_SCHEMA;
  if (!schema?.startsWith('appconda_e2e_')) throw new Error('APPCONDA_E2E_SCHEMA is not set: run through apps/api-e2e/jest.config.cjs');
  return path.join(tmpdir(), `appconda-e2e-${schema.slice('appconda_e2e_'.length)}`);
}

export function uploadsRoot(): string {
  return path.join(storageRoot(), 'uploads');
}

/** Every stored object of a project on the local device, relative to its `app-<projectId>` folder. */
export function storedObjects(projectId: string): string[] {
  const dir = path.join(uploadsRoot(), `app-${projectId}`);
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)));
}

/** A second API process of the same deployment, with some settings the one-process run cannot have. */
export interface SideApi {
  endpoint: string;
  pid: number;
  stop(): Promise<number | null>;
}

/**
 * Starts `appconda api` alone against the run's schema, Redis prefix and storage root (so projects,
 * keys and files are shared with `appconda all`, whose worker-deletes still consumes its jobs), with
 * `env` on top: a setting that is process-wide (antivirus, storage limit) can be exercised without
 * changing the main process.
 */
export async function startSideApi(env: Record<string, string>): Promise<SideApi> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), 'api'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      _APP_ENV: 'development',
      _APP_PORT: String(port),
      _APP_REALTIME_PORT: String(await freePort()),
      _APP_DB_SCHEMA: process.env.APPCONDA_E2E_SCHEMA,
      _APP_REDIS_PREFIX: process.env.APPCONDA_E2E_REDIS_PREFIX,
      _APP_STORAGE_ROOT: storageRoot(),
      _APP_LOG_LEVEL: 'warn',
      _APP_CONSOLE_WHITELIST_ROOT: 'disabled',
      APPCONDA_ENV_FILE: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const endpoint = `http://127.0.0.1:${port}/v1`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`appconda api exited early with code ${child.exitCode}`);
    try {
      if ((await fetch(`${endpoint}/health/version`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('appconda api did not answer within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process in MB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}
