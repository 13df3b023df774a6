import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { Logger } from 'pino';

import { AppExceptionFilter, clientErrorResponse, ReplyLike, sendAppError, writeLastResortError } from './exception.filter';
import { PinoNestLogger, serviceLogger } from './logger';
import { rewriteLegacyUrl } from './legacy-routes';
import { parseQueryString } from './query-string';
import { checkBodyParams } from './request-body';
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
  const logger = serviceLogger(service);
  const adapter = new FastifyAdapter({
    trustProxy: true,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    return503OnClosing: true,
    routerOptions: { querystringParser: parseQueryString },
    rewriteUrl: (request: { url?: string }) => rewriteLegacyUrl(request.url ?? '/'),
    // A bad percent-escape in the path or a path param over 100 characters: Fastify answers these before any
    // route runs, in its own shape unless handed here (1.3 answers 400 general_argument_invalid).
    frameworkErrors: (error: Error, _request: unknown, reply: { status(code: number): unknown }) => sendAppError(reply as ReplyLike, error),
    // Last resort: anything thrown synchronously while Fastify routes a request (query-string parsing,
    // URL rewriting, hooks) answers 500 general_unknown instead of reaching the event loop and ending the process.
    serverFactory: (handler: RequestHandler) => guardedServer(handler, logger),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger: new PinoNestLogger(service), abortOnError: false, bodyParser: false });
  app.useGlobalFilters(new AppExceptionFilter(logger));
  app.setGlobalPrefix('v1');
  const instance = app.getHttpAdapter().getInstance();
  // The SDKs send `content-type: application/json` with empty bodies (web SDK GET/DELETE); treat those as {}.
  // A body is the route's params: a JSON object, nested at most MAX_BODY_DEPTH levels; `__proto__` and
  // `constructor.prototype` keys are dropped as Fastify's own parser does.
  const parseJson = instance.getDefaultJsonParser('remove', 'remove');
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    parseJson(request, text, (error: Error | null, value?: unknown) => {
      if (error) return done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
      try {
        done(null, checkBodyParams(value));
      } catch (invalid) {
        done(invalid as Error, undefined);
      }
    });
  });
  // Appwrite 1.3 answers every API response with these.
  instance.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done(null, payload);
  });
  return app;
}

/**
 * An HTTP server whose request handler cannot end the process: a synchronous throw while Fastify routes a
 * request (query-string parser, URL rewrite, router, hooks) is logged and answered 500 general_unknown.
 */
type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export function guardedServer(handler: RequestHandler, logger: Pick<Logger, 'error'>): Server {
  const server = createServer((request, response) => {
    try {
      handler(request, response);
    } catch (error) {
      logger.error({ err: error, method: request.method, url: request.url }, 'request failed outside the pipeline');
      writeLastResortError(response);
    }
  });
  // Fastify applies its own timeouts only to servers it creates; keep its defaults (72 s keep-alive, no
  // request timeout) so clients reusing an idle connection do not race a 5 s close, and long uploads are not cut.
  server.keepAliveTimeout = 72_000;
  server.requestTimeout = 0;
  // Requests Node's HTTP parser refuses (headers over 16 KB, malformed request lines) answer in Appwrite's shape
  // too, instead of Node's bare 431/400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    socket.end(clientErrorResponse(error.code === 'HPE_HEADER_OVERFLOW' ? 'The request headers or URL are too large.' : 'The request is not valid HTTP.'));
  });
  return server;
}

export type { INestApplication, NestFastifyApplication };
