import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICES } from '@appconda/contracts';
import { freePort } from '@appconda/testing';
import { Logger } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';

const root = path.resolve(__dirname, '../../../..');

/** An `appconda all` this file starts itself, pointed at its own dependencies. */
export interface AppcondaProcess {
  endpoint: string;
  /** Its `_APP_DB_SCHEMA`, which is also its `_APP_REDIS_PREFIX`. */
  schema: string;
  pid: number;
  /** False once the process has exited. */
  alive(): boolean;
  /** Everything it wrote: its JSON log lines, and `{ stdout | stderr: line }` for anything else. */
  logs: Record<string, unknown>[];
  /** SIGTERM; resolves the exit code. Also removes its storage root. */
  stop(): Promise<number | null>;
}

/** Starts `appconda all` (every service, one process) with a fresh schema, prefix and storage root on top of `env`. */
export async function startAppconda(env: Record<string, string>): Promise<AppcondaProcess> {
  const run = randomBytes(4).toString('hex');
  const schema = `appconda_faults_${run}`;
  const port = await freePort();
  const storage = path.join(tmpdir(), `appconda-faults-${run}`);
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), 'all'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      _APP_ENV: 'development',
      _APP_PORT: String(port),
      _APP_REALTIME_PORT: String(await freePort()),
      _APP_DB_SCHEMA: schema,
      _APP_REDIS_PREFIX: schema,
      _APP_STORAGE_ROOT: storage,
      _APP_USAGE_STATS: 'disabled',
      _APP_LOG_LEVEL: 'warn',
      _APP_CONSOLE_WHITELIST_ROOT: 'disabled',
      APPCONDA_ENV_FILE: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const collect = (stream: NodeJS.ReadableStream, name: string) => {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          logs.push({ [name]: line });
        }
      }
    });
  };
  collect(child.stdout!, 'stdout');
  collect(child.stderr!, 'stderr');
  const endpoint = `http://127.0.0.1:${port}/v1`;
  const stop = () =>
    new Promise<number | null>((resolve) => {
      const done = (code: number | null) => {
        rmSync(storage, { recursive: true, force: true });
        resolve(code);
      };
      if (child.exitCode !== null) return done(child.exitCode);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        done(code);
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`appconda all exited early with code ${child.exitCode}`);
    if (await fetch(`${endpoint}/health/version`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('appconda all did not answer within 90 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { endpoint, schema, pid: child.pid!, alive: () => child.exitCode === null && child.signalCode === null, logs, stop };
}

export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  json: Record<string, unknown>;
}

/** A loopback HTTP server that records every webhook POST it receives. */
export async function webhookReceiver(): Promise<{ url: (p: string) => string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      deliveries.push({ path: req.url ?? '', headers: req.headers, json: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: (p) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${p}`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Asks every service of the process for its health over the Redis transport (the `<prefix>.health.<service>`
 * pattern each app answers) until all answer or `deadline` passes; resolves the services still silent.
 */
export async function silentServices(redisPort: number, prefix: string, deadline: number): Promise<string[]> {
  // The test's own client: Nest's console logger would print its connection lines into the test output.
  Logger.overrideLogger(false);
  const client = ClientProxyFactory.create({ transport: Transport.REDIS, options: { host: '127.0.0.1', port: redisPort, retryAttempts: 10, retryDelay: 500 } });
  let silent: string[] = [...SERVICES];
  try {
    await client.connect();
    do {
      const answers = await Promise.all(
        silent.map((service) =>
          firstValueFrom(client.send<{ status: string }>(`${prefix}.health.${service}`, {}).pipe(timeout(2000))).then(
            (health) => (health.status === 'pass' ? undefined : service),
            () => service,
          ),
        ),
      );
      silent = answers.filter((service): service is string => service !== undefined);
    } while (silent.length > 0 && Date.now() < deadline);
    return silent;
  } finally {
    await client.close();
  }
}
