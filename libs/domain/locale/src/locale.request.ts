import { RequestLike, headerValue } from '@appconda/core';

/**
 * The locale a request asks for: the `locale` query param first, then `X-Appwrite-Locale`
 * (Appwrite 1.3 reads them in that order), then whatever the pipeline resolved.
 */
export function requestedLocale(request: RequestLike): string | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  const param = typeof query?.['locale'] === 'string' ? (query['locale'] as string) : undefined;
  return param || headerValue(request, 'x-appwrite-locale') || request.ctx?.locale;
}

/** The caller's IP: the pipeline's view when it has one, else Fastify's (proxy headers trusted). */
export function requestIp(request: RequestLike): string {
  return request.ctx?.ip || request.ip || '';
}
