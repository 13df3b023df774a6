import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** Keys whose values never reach a log line. */
const REDACT = [
  'password',
  'secret',
  'apiKey',
  '*.password',
  '*.secret',
  '*.apiKey',
  'headers["x-appwrite-key"]',
  'headers.cookie',
  'headers["x-fallback-cookies"]',
  'headers["x-appwrite-jwt"]',
];

let root: Logger | undefined;

/** The process-wide structured logger (JSON lines on stdout). */
export function rootLogger(): Logger {
  root ??= pino({
    base: { pid: process.pid },
    level: process.env._APP_LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root;
}

/** A logger whose every line names the service. */
export function serviceLogger(service: string): Logger {
  return rootLogger().child({ service });
}

/** Nest's logger interface over pino, so framework lines are structured and name the service too. */
export class PinoNestLogger implements LoggerService {
  private readonly logger: Logger;

  constructor(service: string) {
    this.logger = serviceLogger(service);
  }

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
