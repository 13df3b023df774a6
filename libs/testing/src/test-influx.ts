import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port';

/** Whether Debian's `influxd` (InfluxDB 1.x) is installed: tests of the InfluxDB path run only then. */
export function hasInfluxd(): boolean {
  try {
    execFileSync('influxd', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A private InfluxDB 1.x for one test file: its own data directory and free ports on 127.0.0.1, so it
 * never meets the machine's InfluxDB or another test's. `stop()` and `start()` take it away and bring it
 * back with its data (an outage); `close()` stops it and removes its directory.
 */
export class TestInflux {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async create(): Promise<TestInflux> {
    const dir = mkdtempSync(join(tmpdir(), 'appconda-influx-'));
    const [port, rpcPort] = [await freePort(), await freePort()];
    writeFileSync(
      join(dir, 'influxdb.conf'),
      [
        'reporting-enabled = false',
        `bind-address = "127.0.0.1:${rpcPort}"`,
        '[meta]',
        `  dir = "${dir}/meta"`,
        '[data]',
        `  dir = "${dir}/data"`,
        `  wal-dir = "${dir}/wal"`,
        '  query-log-enabled = false',
        '[monitor]',
        '  store-enabled = false',
        '[http]',
        `  bind-address = "127.0.0.1:${port}"`,
        '  log-enabled = false',
        '[ifql]',
        '  enabled = false',
        '[logging]',
        '  level = "error"',
        '',
      ].join('\n'),
    );
    const influx = new TestInflux(port, dir);
    await influx.start();
    return influx;
  }

  /** `_APP_INFLUXDB_HOST` / `_APP_INFLUXDB_PORT` for the services under test. */
  get env(): Record<string, string> {
    return { _APP_INFLUXDB_HOST: '127.0.0.1', _APP_INFLUXDB_PORT: String(this.port) };
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn('influxd', ['-config', join(this.dir, 'influxdb.conf')], { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`influxd exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/ping`)).status === 204) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`influxd did not answer on port ${this.port} within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
