import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { requestOrigin } from '@appconda/auth';

/**
 * The parts of an HTTP exchange the session routes need beyond the request context: where the API
 * was reached (cookie domain, fallback decision), the caller's origin, and a way to add response
 * headers (Set-Cookie, X-Fallback-Cookies). Services take this instead of Fastify objects, so the
 * OAuth2 redirect handler and tests can pass their own.
 */
export interface WebExchange {
  /** Hostname the API was reached on, without port. */
  hostname: string;
  /** Whether the request came over https (cookies get `Secure`). */
  secure: boolean;
  /** `Origin`, else `Referer`; '' when neither was sent. */
  origin: string;
  /** `http` or `https`. */
  protocol: string;
  /** Adds a response header; `set-cookie` may be added several times. */
  header(name: string, value: string): void;
}

interface FastifyishRequest {
  hostname?: string;
  protocol?: string;
  headers: Record<string, string | string[] | undefined>;
}

interface FastifyishReply {
  header(name: string, value: string | string[]): unknown;
}

function withoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.replace(/:\d+$/, '');
}

/** Builds a WebExchange from a Fastify request/reply pair. */
export function webExchange(request: FastifyishRequest, reply: FastifyishReply): WebExchange {
  const hostHeader = request.headers.host;
  const hostname = withoutPort(request.hostname ?? (Array.isArray(hostHeader) ? hostHeader[0] : hostHeader) ?? '');
  const protocol = request.protocol === 'https' ? 'https' : 'http';
  return {
    hostname,
    secure: protocol === 'https',
    origin: requestOrigin(request.headers),
    protocol,
    header(name, value) {
      // Fastify appends repeated `set-cookie` values instead of replacing them.
      reply.header(name, value);
    },
  };
}

/** The exchange of the current request: `handler(@Web() web: WebExchange)`. */
export const Web = createParamDecorator((_data: unknown, context: ExecutionContext): WebExchange => {
  const http = context.switchToHttp();
  return webExchange(http.getRequest<FastifyishRequest>(), http.getResponse<FastifyishReply>());
});
