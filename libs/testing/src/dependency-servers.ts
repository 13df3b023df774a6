import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePort } from './free-port';

const run = promisify(execFile);

/** True once something accepts TCP connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A database or cache server this test owns: its own binary run, data folder and port, so a test can
 * kill and restart it without touching the machine's shared 3306/6379 servers.
 */
export interface PrivateServer {
  readonly port: number;
  /** The folder holding its data, socket and logs (removed by `dispose`). */
  readonly dir: string;
  /** Pid of the running server; undefined while stopped. */
  readonly pid: number | undefined;
  /** Stops it: SIGKILL simulates a crash, SIGTERM a clean shutdown. Resolves once the process is gone. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Environment that points an Appconda service at this server. */
  readonly env: Record<string, string>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

class ManagedServer implements PrivateServer {
  private child: ChildProcess | undefined;

  constructor(
    readonly dir: string,
    readonly port: number,
    readonly env: Record<string, string>,
    private readonly command: string,
    private readonly args: string[],
    private readonly ready: () => Promise<boolean>,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(this.command, this.args, { cwd: this.dir, stdio: 'ignore' });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    const deadline = Date.now() + 30_000;
    while (!(await this.ready())) {
      if (this.child !== child) throw new Error(`${this.command} exited during start (see ${this.dir})`);
      if (Date.now() > deadline) throw new Error(`${this.command} did not accept connections on ${this.port} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A private MariaDB: `mariadb-install-db` initialises a data folder in a temp directory, then
 * `mariadbd` serves it on a free port with its own socket, root without a password (as the shared
 * server), a small buffer pool and no binary log.
 */
export async function startPrivateMariadb(): Promise<PrivateServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'appconda-mariadb-'));
  const datadir = path.join(dir, 'data');
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'], {
    cwd: dir,
  });
  const port = await freePort();
  const args = [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${path.join(dir, 'mariadb.sock')}`,
    `--pid-file=${path.join(dir, 'mariadb.pid')}`,
    `--log-error=${path.join(dir, 'error.log')}`,
    '--user=root',
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=32M',
    '--skip-log-bin',
    '--max-connections=200',
  ];
  const env = { _APP_DB_HOST: '127.0.0.1', _APP_DB_PORT: String(port), _APP_DB_USER: 'root', _APP_DB_PASS: '' };
  const server = new ManagedServer(dir, port, env, 'mariadbd', args, () => accepts(port));
  await server.start().catch(async (error) => {
    await server.dispose();
    throw error;
  });
  return server;
}

/**
 * A private Redis on a free port. Append-only with fsync on every write, as a deployment that keeps
 * its queues would run it: a job acknowledged before a crash is still there after the restart.
 */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'appconda-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--logfile', path.join(dir, 'redis.log')];
  const env = { _APP_REDIS_HOST: '127.0.0.1', _APP_REDIS_PORT: String(port) };
  // Redis accepts connections while still loading its append-only file: wait for PING to answer PONG.
  const ready = async () => (await accepts(port)) && (await run('redis-cli', ['-p', String(port), 'ping']).then((r) => r.stdout.trim() === 'PONG', () => false));
  const server = new ManagedServer(dir, port, env, 'redis-server', args, ready);
  await server.start().catch(async (error) => {
    await server.dispose();
    throw error;
  });
  return server;
}
