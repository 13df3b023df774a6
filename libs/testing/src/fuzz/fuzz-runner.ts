import { ErrorDefinition, ErrorType } from '@appconda/contracts';
import fc from 'fast-check';
import { Agent, request as httpRequest } from 'node:http';

import { CatalogueRoute } from '../route-catalogue';
import { FuzzRequest, requestArbitrary } from './fuzz-arbitraries';
import { createFuzzFixtures, FuzzFixtures } from './fuzz-fixtures';

/**
 * 5xx answers Appwrite 1.3 gives by design: the 503s (a disabled service, SMTP or SMS not configured) and
 * the 501s (usage statistics off, an OAuth2 provider or auth method not supported, a user limit): every
 * error type of the catalogue whose code is 501 or 503. They are not failures of the fuzz run.
 */
export const BY_DESIGN_5XX: ReadonlySet<string> = new Set(
  Object.values(ErrorType as Record<string, ErrorDefinition>)
    .filter((definition) => definition.code === 501 || definition.code === 503)
    .map((definition) => definition.type),
);

/**
 * Routes the fuzz run leaves out because answering them leaves loopback: /health/time asks
 * time.google.com over NTP (as 1.3 does) and fails with 500 general_server_error without network.
 */
export const OFF_LOOPBACK_ROUTES: ReadonlySet<string> = new Set(['GET /v1/health/time']);

/** The catalogue routes a fuzz run covers (everything but OFF_LOOPBACK_ROUTES). */
export function fuzzableRoutes(routes: CatalogueRoute[]): CatalogueRoute[] {
  return routes.filter((route) => !OFF_LOOPBACK_ROUTES.has(`${route.method} ${route.path}`));
}

export interface FuzzFinding {
  kind: 'unexpected-5xx' | 'bad-shape' | 'no-answer';
  route: string;
  method: string;
  path: string;
  auth: string;
  status?: number;
  detail: string;
  /** The first 300 characters of the request body. */
  body?: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  routes: number;
  routesCovered: number;
  durationMs: number;
  statuses: Record<string, number>;
  byDesign5xx: number;
  unexpected5xx: number;
  badShapes: number;
  noAnswer: number;
  /** Times the fixtures had to be rebuilt because fuzzing deleted the key or ended the session. */
  fixtureRefreshes: number;
  /** The server answered `/health/version` after the run. */
  serverUp: boolean;
  findings: FuzzFinding[];
}

export interface FuzzOptions {
  endpoint: string;
  routes: CatalogueRoute[];
  seed: number;
  /** Stop after this many requests… */
  maxRequests: number;
  /** …or after this long, whichever comes first. */
  maxDurationMs: number;
  concurrency?: number;
  /** Requests generated per route per round (rounds go over every route in turn). */
  perRound?: number;
  /** Keep at most this many findings in the report (counts are always complete). */
  keepFindings?: number;
  /** Called after each round with the running totals. */
  onProgress?: (report: FuzzReport) => void;
  fixtures?: FuzzFixtures;
}

interface Answer {
  status: number;
  body: string;
  contentType: string;
}

const APPWRITE_KEYS = ['code', 'message', 'type', 'version'];

/** Why an error answer is not in Appwrite's `{message, code, type, version}` shape with `code` = status, or undefined. */
export function errorShapeProblem(status: number, body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 120)}`;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return `not an object: ${body.slice(0, 120)}`;
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.join() !== APPWRITE_KEYS.join()) return `keys ${keys.join(',')}: ${body.slice(0, 160)}`;
  if (record.code !== status) return `code ${String(record.code)} ≠ status ${status}`;
  if (typeof record.type !== 'string' || !record.type || typeof record.message !== 'string' || typeof record.version !== 'string') return `field types: ${body.slice(0, 160)}`;
  return undefined;
}

function send(endpoint: URL, agent: Agent | false, request: FuzzRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
    const headers: Record<string, string | number> = { ...request.headers };
    if (body) headers['content-length'] = body.length;
    const outgoing = httpRequest(
      { host: endpoint.hostname, port: endpoint.port, method: request.method, path: request.path, headers, agent, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          // Downloads and images can be large; only error bodies are inspected.
          if (size < 64 * 1024) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: String(response.headers['content-type'] ?? '') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** `/v1/health/version` answers 200. */
export async function serverAnswers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health/version`, { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Sends a request; a connection reset on a reused keep-alive socket (the server closed it as the request
 * left) is retried once on a fresh connection, so only a server that drops the request itself counts.
 */
async function sendOnce(endpoint: URL, agent: Agent, request: FuzzRequest, timeoutMs: number): Promise<Answer> {
  try {
    return await send(endpoint, agent, request, timeoutMs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ECONNRESET' && !/socket hang up/.test(String((error as Error).message))) throw error;
    return send(endpoint, false, request, timeoutMs);
  }
}

/** True when the key and both user credentials still work (fuzzing may delete the key or end the session). */
async function fixturesAlive(fixtures: FuzzFixtures): Promise<boolean> {
  const check = async (headers: Record<string, string>, path: string) => {
    const response = await fetch(`${fixtures.endpoint}${path}`, { headers: { 'x-appwrite-project': fixtures.projectId, ...headers } });
    await response.arrayBuffer();
    return response.status === 200;
  };
  try {
    return (
      (await check({ 'x-appwrite-key': fixtures.key }, '/users')) &&
      (await check({ cookie: fixtures.userCookie }, '/account')) &&
      (await check({ 'x-appwrite-jwt': fixtures.jwt }, '/account')) &&
      (await check({ 'x-appwrite-project': 'console', cookie: fixtures.consoleCookie }, '/account'))
    );
  } catch {
    return false;
  }
}

/** A stable number per route key, so each route's sample stream depends on the seed and the route only. */
function routeSalt(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/**
 * Fuzzes every route in turn (round-robin, `perRound` generated requests each) until `maxRequests` or
 * `maxDurationMs`, `concurrency` requests in flight, and checks each answer: no 5xx other than
 * BY_DESIGN_5XX, every 4xx/5xx in Appwrite's shape with `code` equal to the status, an answer at all.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const endpoint = new URL(options.endpoint);
  const concurrency = options.concurrency ?? 8;
  const perRound = options.perRound ?? 4;
  const keep = options.keepFindings ?? 50;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let fixtures = options.fixtures ?? (await createFuzzFixtures(options.endpoint));
  const report: FuzzReport = {
    seed: options.seed,
    requests: 0,
    routes: options.routes.length,
    routesCovered: 0,
    durationMs: 0,
    statuses: {},
    byDesign5xx: 0,
    unexpected5xx: 0,
    badShapes: 0,
    noAnswer: 0,
    fixtureRefreshes: 0,
    serverUp: false,
    findings: [],
  };
  const covered = new Set<string>();
  const record = (finding: FuzzFinding) => {
    if (report.findings.filter((kept) => kept.kind === finding.kind).length < keep) report.findings.push(finding);
  };
  const deadline = started + options.maxDurationMs;
  const budgetLeft = () => report.requests < options.maxRequests && Date.now() < deadline;

  const check = (request: FuzzRequest, answer: Answer) => {
    report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1;
    covered.add(request.route);
    if (answer.status < 400 || request.method === 'HEAD') return;
    const problem = errorShapeProblem(answer.status, answer.body);
    const base = { route: request.route, method: request.method, path: request.path.slice(0, 300), auth: request.auth, status: answer.status, body: typeof request.body === 'string' ? request.body.slice(0, 300) : undefined };
    if (problem) {
      report.badShapes++;
      record({ ...base, kind: 'bad-shape', detail: problem });
    }
    if (answer.status >= 500) {
      const type = problem ? undefined : (JSON.parse(answer.body) as { type: string }).type;
      if (type && BY_DESIGN_5XX.has(type)) report.byDesign5xx++;
      else {
        report.unexpected5xx++;
        record({ ...base, kind: 'unexpected-5xx', detail: answer.body.slice(0, 300) });
      }
    }
  };

  for (let round = 0; budgetLeft(); round++) {
    const batch: FuzzRequest[] = [];
    for (const route of options.routes) {
      const key = `${route.method} ${route.path}`;
      batch.push(...fc.sample(requestArbitrary(route, fixtures), { seed: (options.seed + routeSalt(key) + round * 7919) | 0, numRuns: perRound }));
    }
    let next = 0;
    const worker = async () => {
      while (next < batch.length && budgetLeft()) {
        const request = batch[next++];
        report.requests++;
        try {
          check(request, await sendOnce(endpoint, agent, request, 30_000));
        } catch (error) {
          report.noAnswer++;
          record({ kind: 'no-answer', route: request.route, method: request.method, path: request.path.slice(0, 300), auth: request.auth, detail: String((error as Error).message) });
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (!(await serverAnswers(options.endpoint))) break;
    if (budgetLeft() && !(await fixturesAlive(fixtures))) {
      try {
        fixtures = await createFuzzFixtures(options.endpoint, `fuzz${round}`);
        report.fixtureRefreshes++;
      } catch (error) {
        // The server went away (or refuses the console bootstrap): end the run and report it.
        record({ kind: 'no-answer', route: 'fixtures', method: 'POST', path: '/v1/account', auth: 'console', detail: `fixtures could not be rebuilt: ${(error as Error).message}` });
        report.noAnswer++;
        break;
      }
    }
    report.routesCovered = covered.size;
    report.durationMs = Date.now() - started;
    options.onProgress?.(report);
  }
  agent.destroy();
  report.serverUp = await serverAnswers(options.endpoint);
  report.routesCovered = covered.size;
  report.durationMs = Date.now() - started;
  return report;
}
