import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { APP_VERSION, ErrorDefinition, ErrorType } from '@appconda/contracts';
import { randomUUID } from 'node:crypto';
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
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) return { exception: new AppException(ErrorType.StorageInvalidFileSize), unexpected: false };
    if (status < 500) return { exception: new AppException(ErrorType.GeneralArgumentInvalid, readMessage(error)), unexpected: false };
  }
  // Fastify's own parse failures carry a statusCode and a code such as FST_ERR_CTP_INVALID_MEDIA_TYPE.
  const statusCode = (error as { statusCode?: number })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const definition: ErrorDefinition = statusCode === 413 ? ErrorType.StorageInvalidFileSize : ErrorType.GeneralArgumentInvalid;
    return { exception: new AppException(definition, (error as Error).message), unexpected: false };
  }
  return { exception: new AppException(ErrorType.GeneralUnknown, 'Server Error'), unexpected: true };
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
