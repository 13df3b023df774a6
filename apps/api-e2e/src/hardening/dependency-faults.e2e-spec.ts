import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import * as mariadb from 'mariadb';
import * as sdk from 'node-appwrite';
import { PrivateServer, startPrivateMariadb, startPrivateRedis } from '@appconda/testing';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { attributeStatus } from '../databases/db-helpers';
import { AppcondaProcess, silentServices, startAppconda, webhookReceiver } from './dependency-faults.support';

/** One request of the load: what was asked, when, and what came back. */
interface Sample {
  op: 'document' | 'user' | 'list';
  id?: string;
  start: number;
  end: number;
  status: number;
  body: Record<string, unknown>;
}

/** What one outage looked like from the clients' side; the figures of bench/README.md's Hardening section. */
interface Outage {
  dependency: string;
  downMs: number;
  samples: Sample[];
  /** Distinct `<status> <type>` answers of the failed requests. */
  errors: string[];
  failedWhileDown: number;
  /** From the dependency accepting connections again to the end of the first successful request sent after it. */
  recoverMs: number;
  /** Longest single request of the run. */
  slowestMs: number;
  /** From the restart until every service answered on the Redis transport. */
  transportMs: number;
  /** Services that never answered on the transport after the restart. */
  silent: string[];
  acknowledged: number;
  /** Creates answered 201 while the dependency was down (their jobs were enqueued during the outage). */
  acknowledgedWhileDown: number;
  /** How long the last acknowledged change took to reach the webhook receiver after the load stopped. */
  webhookMs: number;
  marks: { down: number; up: number; recovered: number };
  /** When work is missing: the length of each queue list in the private Redis, to tell stuck workers from lost jobs. */
  queues?: Record<string, number>;
}

const WORKERS = 3;
const RECOVERY_LIMIT_MS = 30_000;
const DELIVERY_LIMIT_MS = 90_000;

/**
 * Dependency faults (issue 16): `appconda all` runs against a MariaDB and a Redis of this file's own
 * (private data folders and ports; the machine's shared servers are never touched). Under a steady load
 * of document creates, user creates and document lists, one dependency is SIGKILLed and restarted.
 * While it is down every failed request must be a clean Appwrite 5xx; afterwards requests must succeed
 * again without restarting Appconda, every service must be back on the Redis transport, and every change
 * the API acknowledged must still reach its webhook and its audit entry (no queued job lost).
 */
describe('dependency faults: MariaDB and Redis restarted under load (private servers, appconda all)', () => {
  let db: PrivateServer;
  let redis: PrivateServer;
  let app: AppcondaProcess;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let session: ConsoleSession;
  let previousEndpoint: string | undefined;
  const outages: Outage[] = [];
  let seq = 0;

  beforeAll(async () => {
    [db, redis, hooks] = await Promise.all([startPrivateMariadb(), startPrivateRedis(), webhookReceiver()]);
    app = await startAppconda({ ...db.env, ...redis.env });
    // The shared support helpers (console bootstrap, attribute polling) talk to this file's process.
    previousEndpoint = process.env.APPCONDA_E2E_ENDPOINT;
    process.env.APPCONDA_E2E_ENDPOINT = app.endpoint;
    session = await bootstrapConsole('faults');
    const hook = await session.call('POST', `/projects/${session.projectId}/webhooks`, {
      name: 'faults',
      events: ['databases.*.collections.*.documents.*.create', 'users.*.create'],
      url: hooks.url('/hook'),
      security: false,
    });
    expect(hook.status).toBe(201);
    const databases = new sdk.Databases(new sdk.Client().setEndpoint(app.endpoint).setProject(session.projectId).setKey(session.key));
    await databases.create('main', 'main');
    await databases.createCollection('main', 'items', 'items', [sdk.Permission.read(sdk.Role.any())]);
    await databases.createStringAttribute('main', 'items', 'title', 64, false);
    await attributeStatus(databases, 'main', 'items', 'title');
  }, 180_000);

  afterAll(async () => {
    if (previousEndpoint === undefined) delete process.env.APPCONDA_E2E_ENDPOINT;
    else process.env.APPCONDA_E2E_ENDPOINT = previousEndpoint;
    const code = await app?.stop();
    await Promise.all([db?.dispose(), redis?.dispose(), hooks?.close()]);
    writeFileSync(path.join(tmpdir(), 'appconda-dependency-faults.log'), (app?.logs ?? []).map((line) => JSON.stringify(line)).join('\n'));
    if (outages.length) writeFileSync(path.join(tmpdir(), 'appconda-dependency-faults.json'), JSON.stringify(outages.map(({ samples: _samples, marks: _marks, ...figures }) => figures), null, 2));
    expect(code).toBe(0);
  }, 60_000);

  async function send(op: Sample['op']): Promise<Sample> {
    const headers = { 'content-type': 'application/json', 'x-appwrite-project': session.projectId, 'x-appwrite-key': session.key };
    const n = (seq += 1);
    const id = op === 'document' ? `doc${n}` : op === 'user' ? `user${n}` : undefined;
    const request =
      op === 'document'
        ? { method: 'POST', path: '/databases/main/collections/items/documents', body: { documentId: id, data: { title: `t${n}` } } }
        : op === 'user'
          ? { method: 'POST', path: '/users', body: { userId: id, email: `${id}@faults.test`, name: id } }
          : { method: 'GET', path: '/databases/main/collections/items/documents?queries[]=limit(5)' };
    const start = Date.now();
    try {
      const res = await fetch(`${app.endpoint}${request.path}`, { method: request.method, headers, body: request.body && JSON.stringify(request.body) });
      const text = await res.text();
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { unparsable: text.slice(0, 200) };
      }
      return { op, id, start, end: Date.now(), status: res.status, body };
    } catch (error) {
      // The connection itself failed: the process is gone or refused; never acceptable here.
      return { op, id, start, end: Date.now(), status: 0, body: { error: String(error) } };
    }
  }

  /** Runs the load, kills `server` after a warm-up, restarts it after `downMs`, and stops once recovered. */
  async function outage(dependency: string, server: PrivateServer, downMs: number): Promise<Outage> {
    const samples: Sample[] = [];
    const marks = { down: Infinity, up: Infinity, recovered: Infinity };
    let stopAt = Infinity;
    const ops: Sample['op'][] = ['document', 'user', 'list'];
    const worker = async (w: number) => {
      for (let i = w; Date.now() < stopAt; i += 1) {
        const sample = await send(ops[i % ops.length]);
        samples.push(sample);
        if (sample.status >= 200 && sample.status < 300 && sample.start >= marks.up && marks.recovered === Infinity) {
          marks.recovered = sample.end;
          stopAt = Date.now() + 2000;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    marks.down = Date.now();
    await server.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await server.start();
    marks.up = Date.now();
    const giveUp = setTimeout(() => (stopAt = Math.min(stopAt, Date.now())), RECOVERY_LIMIT_MS);
    await load;
    clearTimeout(giveUp);

    // Every service back on the Redis transport (health pattern), without restarting the process.
    const silent = await silentServices(redis.port, app.schema, marks.up + RECOVERY_LIMIT_MS);
    const transportMs = Date.now() - marks.up;

    const failed = samples.filter((s) => s.status < 200 || s.status >= 300);
    const acknowledged = samples.filter((s) => s.id && s.status === 201);
    return {
      dependency,
      downMs,
      samples,
      errors: [...new Set(failed.map((s) => `${s.status} ${String(s.body.type)}`))].sort(),
      failedWhileDown: failed.filter((s) => s.end >= marks.down && s.start <= marks.up).length,
      recoverMs: marks.recovered - marks.up,
      slowestMs: Math.max(...samples.map((s) => s.end - s.start)),
      transportMs: silent.length ? Infinity : transportMs,
      silent,
      acknowledged: acknowledged.length,
      acknowledgedWhileDown: acknowledged.filter((s) => s.start >= marks.down && s.end <= marks.up).length,
      webhookMs: 0,
      marks,
    };
  }

  async function queueLengths(): Promise<Record<string, number>> {
    const client = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      const lengths: Record<string, number> = {};
      for (const queue of ['v1-audits', 'v1-webhooks']) {
        for (const list of ['wait', 'active', 'delayed', 'failed', 'completed']) {
          const key = `${app.schema}:${queue}:${list}`;
          const type = await client.type(key);
          lengths[`${queue}:${list}`] = type === 'list' ? await client.llen(key) : type === 'zset' ? await client.zcard(key) : 0;
        }
      }
      return lengths;
    } finally {
      client.disconnect();
    }
  }

  /** The acknowledged creates' webhooks (polled) and audit entries (read from the private MariaDB). */
  async function missingWork(report: Outage): Promise<{ webhooks: string[]; audits: string[] }> {
    const ids = report.samples.filter((s) => s.id && s.status === 201).map((s) => s.id!);
    const started = Date.now();
    let webhooks = ids;
    while (Date.now() - started < DELIVERY_LIMIT_MS) {
      const delivered = new Set(hooks.deliveries.map((d) => d.json.$id));
      webhooks = ids.filter((id) => !delivered.has(id));
      if (webhooks.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    report.webhookMs = Date.now() - started;
    if (webhooks.length) report.queues = await queueLengths();
    const connection = await mariadb.createConnection({ host: '127.0.0.1', port: db.port, user: 'root', database: app.schema });
    let audits = ids;
    try {
      while (Date.now() - started < DELIVERY_LIMIT_MS) {
        const rows: { resource: string }[] = await connection.query('SELECT resource FROM audit WHERE _project = ? AND event IN (?, ?)', [session.projectId, 'document.create', 'user.create']);
        const written = new Set(rows.map((row) => row.resource.slice(row.resource.lastIndexOf('/') + 1)));
        audits = ids.filter((id) => !written.has(id));
        if (audits.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await connection.end();
    }
    return { webhooks, audits };
  }

  function expectCleanOutage(report: Outage): void {
    const failed = report.samples.filter((s) => s.status < 200 || s.status >= 300);
    // The fault was real: requests failed while the dependency was down…
    expect(report.failedWhileDown).toBeGreaterThan(0);
    // …each with an Appwrite error body and a server-side status, never a dropped connection or a hang.
    for (const sample of failed) {
      expect({ op: sample.op, status: sample.status, body: sample.body }).toEqual({
        op: sample.op,
        status: expect.any(Number),
        body: { message: expect.any(String), code: sample.status, type: expect.any(String), version: expect.any(String) },
      });
      expect(sample.status).toBeGreaterThanOrEqual(500);
    }
    expect(report.slowestMs).toBeLessThan(20_000);
    // Recovered by itself, in the same process.
    expect(report.recoverMs).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(app.alive()).toBe(true);
    expect(report.silent).toEqual([]);
    // Once recovered, it stays recovered: everything sent a second after the first success succeeds.
    expect(report.samples.filter((s) => s.start > report.marks.recovered + 1000 && (s.status < 200 || s.status >= 300))).toEqual([]);
    expect(report.acknowledged).toBeGreaterThan(0);
  }

  it('MariaDB SIGKILLed and restarted under load: clean 5xx while down, reconnects alone, no webhook or audit lost', async () => {
    const report = await outage('MariaDB', db, 8000);
    outages.push(report);
    expectCleanOutage(report);
    expect(await missingWork(report)).toEqual({ webhooks: [], audits: [] });
  }, 240_000);

  it('Redis SIGKILLed and restarted under load (down longer than the old transport retry budget): clean 5xx, reconnects alone, no job lost', async () => {
    const report = await outage('Redis', redis, 15_000);
    outages.push(report);
    expectCleanOutage(report);
    expect(await missingWork(report)).toEqual({ webhooks: [], audits: [] });
    // MariaDB stayed up: a create that was answered with an error left nothing behind.
    const refused = report.samples.filter((s) => s.id && s.status >= 500);
    const headers = { 'x-appwrite-project': session.projectId, 'x-appwrite-key': session.key };
    const found = await Promise.all(
      refused.map(async (s) => {
        const path = s.op === 'document' ? `/databases/main/collections/items/documents/${s.id}` : `/users/${s.id}`;
        return { id: s.id, status: (await fetch(`${app.endpoint}${path}`, { headers })).status };
      }),
    );
    expect(found.filter((f) => f.status !== 404)).toEqual([]);
  }, 240_000);
});
