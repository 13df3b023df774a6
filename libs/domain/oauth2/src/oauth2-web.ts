import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { requestOrigin } from '@appconda/auth';

/**
 * The HTTP side of an OAuth2 route: where the API was reached (callback URLs, cookie domain) and a
 * way to add response headers. Structurally the account lib's WebExchange plus `host` (with port),
 * so it can be handed to the account lib's session creation as is.
 */
export interface OAuth2Web {
  /** Hostname the API was reached on, without port. */
  hostname: string;
  /** Host with port as the client addressed it (`api.example.com`, `127.0.0.1:4711`). */
  host: string;
  secure: boolean;
  /** `Origin`, else `Referer`; '' when neither was sent. */
  origin: string;
  /** `http` or `https`. */
  protocol: string;
  header(name: string, value: string): void;
}

interface RequestShape {
  host?: string;
  hostname?: string;
  protocol?: string;
  headers: Record<string, string | string[] | undefined>;
}

interface ReplyShape {
  header(name: string, value: string | string[]): unknown;
}

/** Builds an OAuth2Web from a Fastify request/reply (proxy headers already applied by trustProxy). */
export function oauth2Web(request: RequestShape, reply: ReplyShape): OAuth2Web {
  const hostHeader = request.headers.host;
  const host = request.host ?? (Array.isArray(hostHeader) ? hostHeader[0] : hostHeader) ?? '';
  const hostname = request.hostname ?? (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, ''));
  const protocol = request.protocol === 'https' ? 'https' : 'http';
  return {
    hostname,
    host,
    secure: protocol === 'https',
    origin: requestOrigin(request.headers),
    protocol,
    header: (name, value) => void reply.header(name, value),
  };
}

/** The current request's OAuth2Web: `handler(@Web() web: OAuth2Web)`. */
export const Web = createParamDecorator((_data: unknown, context: ExecutionContext): OAuth2Web => {
  const http = context.switchToHttp();
  return oauth2Web(http.getRequest<RequestShape>(), http.getResponse<ReplyShape>());
});
