import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as sdk from 'node-appwrite';
import { freePort } from '@appconda/testing';

import { bootstrapConsole, ConsoleSession } from '../support/console';
import { eventually, keyClient } from '../support/identity-clients';
import { readJsonLines } from '../support/json-lines';

const root = path.resolve(__dirname, '../../..');
/** How long the instance runs under traffic: the "no error for a minute". */
const RUN_MS = Number(process.env.APPCONDA_FIRST_RUN_MS ?? 62_000);

interface LogLine {
  level?: number;
  service?: string;
  event?: string;
  msg?: string;
  err?: { stack?: string };
}

/**
 * A first run as the README describes it (`npm start` = `appconda all`, no .env, default intervals and
 * log level) on a machine with MariaDB and Redis but no InfluxDB (its port is closed): for a minute of
 * SDK traffic the process logs no error and no stack trace, says once that InfluxDB is missing, and
 * the console's usage routes show the requests made. Its own schema, Redis prefix, ports and storage.
 */
describe('first run without InfluxDB (appconda all, defaults, a minute of traffic)', () => {
  const run = `fr${randomBytes(4).toString('hex')}`;
  const storage = path.join(tmpdir(), `appconda-${run}`);
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  let child: ChildProcess;
  let endpoint = '';
  const saved = process.env.APPCONDA_E2E_ENDPOINT;

  beforeAll(async () => {
    const [port, realtimePort, influxPort] = [await freePort(), await freePort(), await freePort()];
    child = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), 'all'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        APPCONDA_ENV_FILE: '/nonexistent',
        _APP_PORT: String(port),
        _APP_REALTIME_PORT: String(realtimePort),
        _APP_DB_SCHEMA: `appconda_${run}`,
        _APP_REDIS_PREFIX: `appconda_${run}`,
        _APP_STORAGE_ROOT: storage,
        // Nothing listens there: InfluxDB is absent.
        _APP_INFLUXDB_HOST: '127.0.0.1',
        _APP_INFLUXDB_PORT: String(influxPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    readJsonLines<LogLine>(
      child.stdout!,
      (line) => lines.push(line),
      (raw) => lines.push({ level: 50, msg: `not a JSON log line: ${raw}` }),
    );
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    endpoint = `http://127.0.0.1:${port}/v1`;
    await eventually(async () => (await fetch(`${endpoint}/health/version`).catch(() => undefined))?.ok, 'appconda all answers', 90_000);
    process.env.APPCONDA_E2E_ENDPOINT = endpoint;
  }, 100_000);

  afterAll(async () => {
    process.env.APPCONDA_E2E_ENDPOINT = saved;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(storage, { recursive: true, force: true });
    // The run's schema and Redis keys.
    const mariadb = await import('mariadb');
    const connection = await mariadb.createConnection({ host: '127.0.0.1', user: 'root', password: '' });
    await connection.query(`DROP DATABASE IF EXISTS \`appconda_${run}\``);
    await connection.end();
    const { default: Redis } = await import('ioredis');
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `appconda_${run}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }, 30_000);

  it('logs no error for a minute, warns once that InfluxDB is missing, and the usage routes show the requests made', async () => {
    const started = Date.now();
    const console: ConsoleSession = await bootstrapConsole('firstrun');
    const key = keyClient(console.projectId, console.key);
    const databases = new sdk.Databases(key);
    const users = new sdk.Users(key);
    let made = 0;
    let listed = 0;
    while (Date.now() - started < RUN_MS) {
      await databases.list();
      await users.list();
      made += 2;
      listed += 1;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }

    const usage = async (path: string) => (await console.call<Record<string, { value: number }[]>>('GET', path)).body;
    const total = (series: { value: number }[] = []) => series.reduce((sum, point) => sum + point.value, 0);
    const project = await eventually(async () => {
      const body = await usage(`/projects/${console.projectId}/usage?range=24h`);
      return total(body.requests) >= made ? body : undefined;
    }, 'the project usage shows the requests', 20_000);
    expect(total(project.requests)).toBeGreaterThanOrEqual(made);
    const res = await fetch(`${endpoint}/users/usage?range=24h`, { headers: { cookie: console.cookie, 'x-appwrite-project': console.projectId, 'x-appwrite-mode': 'admin' } });
    expect(total(((await res.json()) as Record<string, { value: number }[]>).usersRead)).toBeGreaterThanOrEqual(listed);

    expect(child.exitCode).toBeNull();
    const errors = lines.filter((line) => (line.level ?? 0) >= 50 || line.err?.stack);
    expect(errors).toEqual([]);
    expect(stderr.join('')).toBe('');
    const influxWarnings = lines.filter((line) => line.event === 'usage_influxdb_unavailable');
    expect(influxWarnings).toHaveLength(1);
    expect(influxWarnings[0]).toMatchObject({ level: 40, service: 'usage' });
    // What else a first run says at warn level (for the record; none of it is an error).
    const warnings = lines.filter((line) => line.level === 40 && line !== influxWarnings[0]).map((line) => `${line.service}: ${line.event ?? ''} ${line.msg ?? ''}`);
    process.stdout.write(`first-run: ${Math.round((Date.now() - started) / 1000)} s, ${made} SDK requests, ${lines.length} log lines, other warnings: ${JSON.stringify(warnings)}\n`);
  }, RUN_MS + 60_000);
});
