import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { corsHeaders, preflightHeaders, requestOrigin } from '@appconda/auth';

import { ProjectContextService } from './project-context.service';
import { CONSOLE_PROJECT_ID } from './project-settings';

interface HookRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
  protocol?: string;
  hostname?: string;
}

interface HookReply {
  header(name: string, value: string): HookReply;
  status(code: number): HookReply;
  send(payload?: unknown): unknown;
}

/**
 * CORS as Appwrite 1.3 answers it: every response carries the CORS headers, with the caller's origin
 * echoed when it is a web platform of the project (or console); OPTIONS on any path answers 204.
 */
@Injectable()
export class CorsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly projects: ProjectContextService,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.();
    if (!instance?.addHook) return;
    instance.addHook('onRequest', async (request: HookRequest, reply: HookReply) => {
      const origin = requestOrigin(request.headers);
      if (request.method === 'OPTIONS') {
        for (const [name, value] of Object.entries(preflightHeaders(origin))) reply.header(name, value);
        return reply.status(204).send();
      }
      const query = (request.query ?? {}) as Record<string, unknown>;
      const header = request.headers['x-appwrite-project'];
      const projectId = (typeof query.project === 'string' && query.project) || (typeof header === 'string' && header) || CONSOLE_PROJECT_ID;
      const project = await this.projects.find(projectId).catch(() => null);
      const headers = corsHeaders({ origin, protocol: request.protocol ?? 'http', apiHostname: request.hostname, platforms: project?.platforms.map(toPlatform) ?? [] });
      for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    });
  }
}

function toPlatform(platform: { type: string; hostname: string | null; key: string | null }) {
  return { type: platform.type, hostname: platform.hostname ?? undefined, key: platform.key ?? undefined };
}
