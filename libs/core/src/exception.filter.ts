import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { APP_VERSION, ErrorDefinition, ErrorType } from '@appconda/contracts';
import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { Logger } from 'pino';

import { AppException } from './app.exception';

export interface ErrorBody {
  message: string;
  code: number;
  type: string;
  version: string;
}

const NO_CACHE = {
  'cache-control': 'no-cache, no-store, must-revalidate',
  expires: '0',
  pragma: 'no-cache',
};

/** Maps anything thrown to an AppException; unknown failures become general_unknown. */
export function toAppException(error: unknown): { exception: AppException; unexpected: boolean } {
  if (error instanceof AppException) return { exception: error, unexpected: false };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === HttpStatus.NOT_FOUND) return { exception: new AppException(ErrorType.GeneralRouteNotFound), unexpected: false };
    // Nest rewraps Fastify's body-limit error as an HttpException 413; 1.3 does not pass 413 through.
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) return { exception: new AppException(ErrorType.GeneralArgumentInvalid, 'The request body is larger than the API accepts.'), unexpected: false };
    if (status < 500) return { exception: new AppException(ErrorType.GeneralArgumentInvalid, readMessage(error)), unexpected: false };
  }
  // Fastify's own failures (content-type parsers, body limit, bad URL, param length, multipart) carry a
  // 4xx statusCode and a code such as FST_ERR_CTP_INVALID_MEDIA_TYPE; 1.3 passes none of 413/414/415 through.
  const statusCode = (error as { statusCode?: number })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const code = (error as { code?: unknown }).code;
    const definition: ErrorDefinition = code === 'FST_REQ_FILE_TOO_LARGE' ? ErrorType.StorageInvalidFileSize : ErrorType.GeneralArgumentInvalid;
    return { exception: new AppException(definition, frameworkMessage(error as Error, code)), unexpected: false };
  }
  return { exception: new AppException(ErrorType.GeneralUnknown, 'Server Error'), unexpected: true };
}

/** Fastify's messages for the errors it raises before a route runs, in the words of this API. */
function frameworkMessage(error: Error, code: unknown): string {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return 'The request path is not a valid URL (bad percent-encoding).';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'A path parameter is too long.';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than the API accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'The request content type is not supported.';
    default:
      return error.message;
  }
}

export interface ReplyLike {
  status(code: number): ReplyLike;
  headers(values: Record<string, string>): ReplyLike;
  send(payload: unknown): unknown;
}

/** Answers a Fastify reply with the Appwrite body of `error` (framework errors raised before Nest runs). */
export function sendAppError(reply: ReplyLike, error: unknown): void {
  const body = errorBody(toAppException(error).exception);
  reply.status(body.code).headers(NO_CACHE).send(body);
}

/** A raw HTTP/1.1 400 general_argument_invalid for a request Node's parser refused (the socket is closed after it). */
export function clientErrorResponse(message: string): string {
  const payload = JSON.stringify(errorBody(new AppException(ErrorType.GeneralArgumentInvalid, message)));
  const headers = { ...NO_CACHE, connection: 'close', 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) };
  return `HTTP/1.1 400 Bad Request\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${payload}`;
}

/** The last-resort answer on a raw response: 500 general_unknown, unless an answer already started. */
export function writeLastResortError(response: ServerResponse): void {
  if (response.headersSent || response.writableEnded) {
    response.destroy();
    return;
  }
  const payload = JSON.stringify(errorBody(new AppException(ErrorType.GeneralUnknown, 'Server Error')));
  response.writeHead(500, { ...NO_CACHE, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

function readMessage(error: HttpException): string {
  const response = error.getResponse() as string | { message?: string | string[] };
  if (typeof response === 'string') return response;
  const message = response?.message;
  return Array.isArray(message) ? message.join(', ') : (message ?? error.message);
}

export function errorBody(exception: AppException): ErrorBody {
  const status = exception.status;
  // Appwrite keeps the type but hides the message when it turns an odd status into 500.
  const message = status === 500 && exception.code !== 500 ? 'Server Error' : exception.message;
  return { message, code: status, type: exception.type, version: APP_VERSION };
}

/** Renders every HTTP failure as Appwrite's `{ message, code, type, version }`. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const reply = host.switchToHttp().getResponse();
    const request = host.switchToHttp().getRequest();
    const { exception, unexpected } = toAppException(error);
    if (unexpected) {
      const errorId = request?.ctx?.requestId ?? randomUUID();
      this.logger.error({ err: error, errorId, method: request?.method, url: request?.routeOptions?.url ?? request?.url }, 'unhandled error');
    }
    const body = errorBody(exception);
    reply.status(body.code).headers(NO_CACHE).send(body);
  }
}
