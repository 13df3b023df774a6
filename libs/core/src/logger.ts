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

const REPEAT_WINDOW_MS = 30_000;

/** Nest's logger interface over pino, so framework lines are structured and name the service too. */
export class PinoNestLogger implements LoggerService {
  private readonly logger: Logger;
  /** When each framework error message was last written, and how many repeats were held back since. */
  private readonly recent = new Map<string, { at: number; held: number }>();

  constructor(service: string) {
    this.logger = serviceLogger(service);
  }

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  /**
   * Nest's Redis transport logs every failed reconnect of each of its clients (two per app, fifteen apps
   * in one process): the same line is written at most once per REPEAT_WINDOW_MS, with the count of the
   * repeats held back since.
   */
  error(message: unknown, trace?: string, context?: string): void {
    const text = String(message);
    const key = `${context ?? ''}\u0000${text}`;
    const now = Date.now();
    const seen = this.recent.get(key);
    if (seen && now - seen.at < REPEAT_WINDOW_MS) {
      seen.held += 1;
      return;
    }
    if (this.recent.size >= 1000) this.recent.clear();
    this.recent.set(key, { at: now, held: 0 });
    this.logger.error({ context, trace, ...(seen?.held ? { repeated: seen.held } : {}) }, text);
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
