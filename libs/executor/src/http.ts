import http from 'node:http';

/** One keep-alive agent for every call to runtimes: a warm execution reuses its connection. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });

export interface RuntimeAnswer {
  status: number;
  body: string;
}

/** Errors meaning the runtime is not there (nothing reached it), so a fresh one may be tried safely. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export class RuntimeCallError extends Error {
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'timeout' | 'broken',
  ) {
    super(message);
    this.name = 'RuntimeCallError';
  }
}

/** One request to a runtime server with its challenge, bounded by `timeoutMs` (then aborted). */
export function callRuntime(url: string, key: string, options: { method?: 'GET' | 'POST'; body?: string; timeoutMs: number }): Promise<RuntimeAnswer> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? '';
    const req = http.request(
      `${url}/`,
      {
        agent,
        method: options.method ?? 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-internal-challenge': key },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 500, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (error) => fail(new RuntimeCallError(error.message, 'broken')));
      },
    );
    const fail = (error: RuntimeCallError) => {
      clearTimeout(timer);
      reject(error);
    };
    const timer = setTimeout(() => {
      req.destroy();
      fail(new RuntimeCallError(`no answer within ${options.timeoutMs} ms`, 'timeout'));
    }, options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => fail(new RuntimeCallError(error.message, UNREACHABLE.has(error.code ?? '') ? 'unreachable' : 'broken')));
    req.end(body);
  });
}

/** Polls the runtime's health answer until it comes (a container's server takes a moment to listen). */
export async function waitUntilAnswering(url: string, key: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const answer = await callRuntime(url, key, { method: 'GET', timeoutMs: 1_000 });
      if (answer.status === 200) return;
      last = `status ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the runtime did not answer within ${timeoutMs / 1000} s (${last})`);
}
