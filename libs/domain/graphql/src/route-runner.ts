import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomBytes, randomUUID } from 'node:crypto';

import { OperationSpec } from './contract/catalogue';
import { UploadedFile } from './scalars';

/** Who called GraphQL: what each field's REST request carries so the pipeline sees the same caller. */
export interface Caller {
  headers: Record<string, string | string[] | undefined>;
  /** The socket address; with X-Forwarded-For (copied) it yields the same client IP as the outer request. */
  remoteAddress: string;
  /** The project the outer request resolved (it may have come from `?project=`). */
  projectId: string;
  /** Hands a header the route set for the client (session cookies) to the GraphQL response. */
  forward(name: string, value: string | string[]): void;
}

/** A route's failure as a field error: 1.3 reports its message with category `appwrite`. */
export class RouteFieldError extends Error {
  readonly category = 'appwrite';

  constructor(
    message: string,
    readonly code: number,
    readonly type: string,
  ) {
    super(message);
    this.name = 'RouteFieldError';
  }
}

interface InjectRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  payload?: string | Buffer;
  remoteAddress: string;
}

interface InjectResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

type Done = (error: Error | null, payload?: unknown) => void;

interface Injector {
  inject(request: InjectRequest): Promise<InjectResponse>;
  addHook(name: 'preSerialization', hook: (request: { headers: Record<string, unknown> }, reply: unknown, payload: unknown, done: Done) => void): void;
}

/** The header naming the slot where a field's route leaves its answer (see RouteRunner.onApplicationBootstrap). */
export const ANSWER_HEADER = 'x-appconda-graphql-answer';
const PENDING = Symbol('pending');

/** Request headers that describe the GraphQL request's own body or connection, not the caller. */
const BODY_HEADERS = new Set([ANSWER_HEADER, 'content-type', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'expect', 'te', 'upgrade', 'accept-encoding', 'x-sdk-graphql']);
/** Response headers a route sets for the client: its session. */
const CLIENT_HEADERS = ['set-cookie', 'x-fallback-cookies'];

/**
 * Runs the REST route behind a GraphQL field through Fastify's `inject`, with the caller's headers
 * and address: the whole request pipeline applies (project, identity, origin, service status, abuse
 * limit, scope, validation, permissions, events, audit, usage), exactly as for a REST call.
 */
@Injectable()
export class RouteRunner implements OnApplicationBootstrap {
  /** Answers of the fields running now, by slot: the route's object before Fastify serializes it. */
  private readonly answers = new Map<string, unknown>();

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * A field's route answers an object; GraphQL needs that object, not its JSON. This hook (added after
   * every other module's, so event/audit hooks still see the object) takes it from requests carrying
   * a live slot and sends an empty body instead: no serialize/parse round trip per field (profiled as
   * the largest part of a field's cost on list answers). A slot is a random id only this process holds.
   */
  onApplicationBootstrap(): void {
    this.injector().addHook('preSerialization', (request, _reply, payload, done) => {
      const slot = request.headers[ANSWER_HEADER];
      if (typeof slot !== 'string' || !this.answers.has(slot)) return done(null, payload);
      this.answers.set(slot, payload);
      done(null, '');
    });
  }

  async run(operation: OperationSpec, args: Record<string, unknown>, caller: Caller): Promise<unknown> {
    const slot = randomUUID();
    const request = innerRequest(operation, args, caller);
    request.headers[ANSWER_HEADER] = slot;
    this.answers.set(slot, PENDING);
    let response: InjectResponse;
    let answer: unknown;
    try {
      response = await this.injector().inject(request);
    } finally {
      answer = this.answers.get(slot);
      this.answers.delete(slot);
    }
    for (const name of CLIENT_HEADERS) {
      const value = response.headers[name];
      if (value !== undefined) caller.forward(name, typeof value === 'number' ? String(value) : value);
    }
    const body = answer === PENDING ? parseBody(response) : answer;
    if (response.statusCode >= 400) {
      const error = (body ?? {}) as { message?: unknown; type?: unknown };
      throw new RouteFieldError(typeof error.message === 'string' ? error.message : 'Server Error', response.statusCode, typeof error.type === 'string' ? error.type : 'general_unknown');
    }
    return body ?? {};
  }

  private injector(): Injector {
    return this.adapterHost.httpAdapter.getInstance<Injector>();
  }
}

/** The REST request of one field: path params in the URL, the rest in the query (GET), a JSON body or a multipart body (uploads). */
export function innerRequest(operation: OperationSpec, args: Record<string, unknown>, caller: Caller): InjectRequest {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(caller.headers)) if (value !== undefined && !BODY_HEADERS.has(name)) headers[name] = value;
  headers['x-appwrite-project'] = caller.projectId;
  const params: Record<string, unknown> = {};
  let path = operation.path;
  for (const arg of operation.args) {
    const value = args[arg.name];
    if (arg.inPath) path = path.replace(`{${arg.name}}`, encodeURIComponent(String(value ?? '')));
    else if (value !== undefined && value !== null) params[arg.name] = value;
  }
  const request: InjectRequest = { method: operation.method, url: `/v1${path}`, headers, remoteAddress: caller.remoteAddress };
  if (operation.method === 'GET') {
    const query = queryString(params);
    if (query) request.url += `?${query}`;
  } else if (operation.args.some((arg) => arg.type === 'InputFile')) {
    const boundary = `----appconda-graphql-${randomBytes(12).toString('hex')}`;
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
    request.payload = multipartBody(params, boundary);
  } else {
    headers['content-type'] = 'application/json';
    request.payload = JSON.stringify(params);
  }
  return request;
}

/** Query params as the SDKs send them: lists as `name[]=`, everything else as text. */
export function queryString(params: Record<string, unknown>): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown) => pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(typeof value === 'object' ? JSON.stringify(value) : String(value))}`);
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((item) => add(`${name}[]`, item));
    else add(name, value);
  }
  return pairs.join('&');
}

/** A multipart/form-data body: fields first (lists as `name[i]`), then the files, as the upload routes read them. */
export function multipartBody(params: Record<string, unknown>, boundary: string): Buffer {
  const parts: Buffer[] = [];
  const field = (name: string, value: unknown) =>
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${typeof value === 'object' ? JSON.stringify(value) : String(value)}\r\n`));
  const files: [string, UploadedFile][] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value instanceof UploadedFile) files.push([name, value]);
    else if (Array.isArray(value)) value.forEach((item, index) => field(`${name}[${index}]`, item));
    else field(name, value);
  }
  for (const [name, file] of files) {
    const filename = file.filename.replace(/["\r\n]/g, '_');
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${file.mimetype || 'application/octet-stream'}\r\n\r\n`));
    parts.push(file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

/** The route's JSON answer; undefined for empty (204) and non-JSON (image, file) answers. */
function parseBody(response: InjectResponse): unknown {
  const type = String(response.headers['content-type'] ?? '');
  if (!type.includes('json') || !response.body) return undefined;
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}
