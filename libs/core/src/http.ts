import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

import { AppExceptionFilter } from './exception.filter';
import { PinoNestLogger, serviceLogger } from './logger';
import { rewriteLegacyUrl } from './legacy-routes';
import { parseQueryString } from './query-string';
import { installLeanAsyncResourceBind } from './async-resource';

export interface HttpAppOptions {
  /** Largest request body accepted (bytes). */
  bodyLimit?: number;
}

/**
 * Creates a Fastify-backed Nest app with the Appwrite error filter and the `/v1` prefix.
 * Unknown routes end in the filter as 404 general_route_not_found.
 */
export async function createHttpApp(module: Type, service: string, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  installLeanAsyncResourceBind();
  const adapter = new FastifyAdapter({
    trustProxy: true,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    return503OnClosing: true,
    routerOptions: { querystringParser: parseQueryString },
    rewriteUrl: (request: { url?: string }) => rewriteLegacyUrl(request.url ?? '/'),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger: new PinoNestLogger(service), abortOnError: false, bodyParser: false });
  app.useGlobalFilters(new AppExceptionFilter(serviceLogger(service)));
  app.setGlobalPrefix('v1');
  const instance = app.getHttpAdapter().getInstance();
  // The SDKs send `content-type: application/json` with empty bodies (web SDK GET/DELETE); treat those as {}.
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      const error = Object.assign(new Error('Invalid JSON body.'), { statusCode: 400 });
      done(error, undefined);
    }
  });
  // Appwrite 1.3 answers every API response with these.
  instance.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done(null, payload);
  });
  return app;
}

export type { INestApplication, NestFastifyApplication };
