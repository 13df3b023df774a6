import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';

/** One series of an InfluxQL answer: its tags and rows (`columns` name each row's cells). */
export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: (string | number | boolean | null)[][];
}

/** A point in InfluxDB line protocol terms. */
export interface InfluxPoint {
  measurement: string;
  tags: Record<string, string>;
  value: number;
  /** Nanoseconds since the epoch. */
  time: bigint;
}

const TIMEOUT_MS = 10_000;

/**
 * InfluxDB 1.x over its HTTP API (`/write` with line protocol, `/query` with InfluxQL): the usage
 * service needs three calls, so plain fetch instead of a client library.
 * @see https://docs.influxdata.com/influxdb/v1/tools/api/
 */
@Injectable()
export class InfluxClient {
  private readonly base: string;

  constructor(config: AppConfig) {
    const { host, port } = config.get('influxdb');
    this.base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** `CREATE DATABASE` (a no-op when it exists). */
  async createDatabase(database: string): Promise<void> {
    await this.post('/query', new URLSearchParams({ q: `CREATE DATABASE ${quoteIdentifier(database)}` }));
  }

  async dropDatabase(database: string): Promise<void> {
    await this.post('/query', new URLSearchParams({ q: `DROP DATABASE ${quoteIdentifier(database)}` }));
  }

  /**
   * Makes the database's default retention policy keep points `days` days, in one-day shard groups
   * (InfluxDB drops a whole shard group once all of it is older than the duration): alters the
   * default policy (`autogen`, so the points already written stay visible), or creates one when the
   * database has none. Idempotent.
   */
  async ensureRetention(database: string, days: number): Promise<void> {
    const [policies] = await this.query(database, `SHOW RETENTION POLICIES ON ${quoteIdentifier(database)}`);
    const name = policies?.columns.indexOf('name') ?? -1;
    const isDefault = policies?.columns.indexOf('default') ?? -1;
    const current = policies?.values.find((row) => row[isDefault] === true)?.[name];
    const spec = `DURATION ${days}d SHARD DURATION 1d`;
    await this.exec(
      database,
      typeof current === 'string'
        ? `ALTER RETENTION POLICY ${quoteIdentifier(current)} ON ${quoteIdentifier(database)} ${spec}`
        : `CREATE RETENTION POLICY "usage" ON ${quoteIdentifier(database)} ${spec} REPLICATION 1 DEFAULT`,
    );
  }

  /** Runs one InfluxQL statement that writes or deletes (`DELETE`, `ALTER …`); throws what InfluxDB reports. */
  async exec(database: string, statement: string): Promise<void> {
    await this.post(`/query?${new URLSearchParams({ db: database })}`, new URLSearchParams({ q: statement }));
  }

  /** Writes the points in one request. A point with the same measurement, tags and time replaces the stored one. */
  async write(database: string, points: readonly InfluxPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.writeLines(database, points.map(toLine).join('\n'));
  }

  /** Writes line protocol as it is (nanosecond times). */
  async writeLines(database: string, lines: string): Promise<void> {
    if (lines === '') return;
    await this.post(`/write?${new URLSearchParams({ db: database, precision: 'n' })}`, lines);
  }

  /** Resolves when InfluxDB answers `GET /ping`; throws otherwise. */
  async ping(timeoutMs = 2000): Promise<void> {
    await this.request('/ping', { method: 'GET' }, timeoutMs);
  }

  /** `host:port`, for log lines. */
  get address(): string {
    return this.base.replace(/^http:\/\//, '');
  }

  /** Runs one InfluxQL read; times come back as epoch milliseconds. */
  async query(database: string, q: string): Promise<InfluxSeries[]> {
    const response = await this.request(`/query?${new URLSearchParams({ db: database, epoch: 'ms', q })}`, { method: 'GET' });
    const answer = (await response.json()) as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
    const result = answer.results?.[0];
    if (answer.error || result?.error) throw new InfluxStatementError(`InfluxDB query failed: ${answer.error ?? result?.error}`);
    return result?.series ?? [];
  }

  private async post(path: string, body: string | URLSearchParams): Promise<void> {
    const response = await this.request(path, { method: 'POST', body });
    if (path.startsWith('/query')) {
      const answer = (await response.json()) as { results?: { error?: string }[] };
      const error = answer.results?.find((result) => result.error)?.error;
      if (error) throw new InfluxStatementError(`InfluxDB statement failed: ${error}`);
    }
  }

  private async request(path: string, init: RequestInit, timeoutMs = TIMEOUT_MS): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new InfluxHttpError(response.status, (await response.text()).slice(0, 200));
    return response;
  }
}

/** InfluxDB answered, with an error status. */
export class InfluxHttpError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`InfluxDB answered ${status}: ${body}`);
  }
}

/**
 * Whether an error of an InfluxDB call means InfluxDB is not there (refused, unresolvable, timed out,
 * or answering 5xx), as against a request it refused (4xx: a bad point or statement).
 */
export function isInfluxUnavailable(error: unknown): boolean {
  if (error instanceof InfluxHttpError) return error.status >= 500;
  return !(error instanceof InfluxStatementError);
}

/** InfluxDB answered 200 but refused the statement (its `error` field). */
export class InfluxStatementError extends Error {}

/** An identifier in double quotes, as InfluxQL quotes database names. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A string literal in single quotes, as InfluxQL compares tag values. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** One line of line protocol: `measurement,tag=v,… value=<float> <ns>`; empty tags are left out (the protocol has none). */
export function toLine(point: InfluxPoint): string {
  const tags = Object.keys(point.tags)
    .filter((key) => point.tags[key] !== '')
    .sort()
    .map((key) => `,${escapeTag(key)}=${escapeTag(point.tags[key])}`)
    .join('');
  return `${point.measurement.replace(/[, ]/g, '\\$&')}${tags} value=${Number(point.value)} ${point.time}`;
}

function escapeTag(value: string): string {
  return value.replace(/[,= ]/g, '\\$&').replace(/\n/g, ' ');
}
