import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { corsHeaders, preflightHeaders, requestOrigin } from '@appconda/auth';
import { AppConfig } from '@appconda/config';
import { ErrorType } from '@appconda/contracts';
import { AppException, errorBody, requestedProjectId } from '@appconda/core';

import { ProjectContextService } from './project-context.service';
import { CONSOLE_PROJECT_ID } from './project-settings';

interface HookRequest {
  method: string;
  url: string;
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
    private readonly config: AppConfig,
    private readonly projects: ProjectContextService,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.();
    if (!instance?.addHook) return;
    const forceHttps = this.config.get('forceHttps');
    instance.addHook('onRequest', async (request: HookRequest, reply: HookReply) => {
      if (forceHttps && request.protocol !== 'https') return refuseHttp(request, reply);
      if (request.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000');
      const origin = requestOrigin(request.headers);
      if (request.method === 'OPTIONS') {
        for (const [name, value] of Object.entries(preflightHeaders(origin))) reply.header(name, value);
        return reply.status(204).send();
      }
      const projectId = requestedProjectId(request) || CONSOLE_PROJECT_ID;
      const project = await this.projects.find(projectId).catch(() => null);
      const headers = corsHeaders({ origin, protocol: request.protocol ?? 'http', apiHostname: request.hostname, platforms: project?.platforms.map(toPlatform) ?? [] });
      for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    });
  }
}

/**
 * `_APP_OPTIONS_FORCE_HTTPS`: plain-HTTP GETs are redirected to https, anything else is refused with
 * general_protocol_unsupported (Appwrite 1.3, app/controllers/general.php). Behind a proxy the
 * scheme comes from X-Forwarded-Proto (the API trusts proxies).
 */
function refuseHttp(request: HookRequest, reply: HookReply): unknown {
  if (request.method === 'GET' || request.method === 'HEAD') {
    return reply.status(301).header('Location', `https://${request.hostname ?? 'localhost'}${request.url}`).send();
  }
  const body = errorBody(new AppException(ErrorType.GeneralProtocolUnsupported, 'Method unsupported over HTTP. Please use HTTPS instead.'));
  return reply.status(body.code).header('content-type', 'application/json').send(JSON.stringify(body));
}

function toPlatform(platform: { type: string; hostname: string | null; key: string | null }) {
  return { type: platform.type, hostname: platform.hostname ?? undefined, key: platform.key ?? undefined };
}
