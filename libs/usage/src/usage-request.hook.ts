import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { requestedProjectId } from '@appconda/core';

import { UsageCollector } from './usage.collector';

interface HookRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
  /** Set by the request pipeline once the route's project is known. */
  ctx?: { projectId?: string };
}

interface HookReply {
  getHeader(name: string): unknown;
}

/**
 * Counts every API request of a project (`requests`) and its bytes in and out (`network`), in a
 * Fastify onResponse hook so failed and unrouted requests count too, and the answer's size is known.
 * The project is the one the pipeline resolved, else the one the request names (header or query).
 * Preflight OPTIONS requests are not API calls and are not counted.
 */
@Injectable()
export class UsageRequestHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly collector: UsageCollector,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.();
    if (!instance?.addHook) return;
    instance.addHook('onResponse', (request: HookRequest, reply: HookReply, done: () => void) => {
      if (request.method !== 'OPTIONS') {
        const projectId = request.ctx?.projectId ?? (requestedProjectId(request) || undefined);
        if (projectId) this.collector.request(projectId, size(request.headers['content-length']), size(reply.getHeader('content-length')));
      }
      done();
    });
  }
}

function size(value: unknown): number {
  const bytes = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
}
