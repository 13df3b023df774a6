import { CronExpressionParser } from 'cron-parser';

/** The macros Appwrite 1.3's cron library knows, as cron-parser spells them. */
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '@yearly',
  '@annually': '@yearly',
  '@monthly': '@monthly',
  '@weekly': '@weekly',
  '@daily': '@daily',
  '@midnight': '@daily',
  '@hourly': '@hourly',
};

/**
 * True for what Appwrite 1.3 accepts as a schedule: five fields (minute hour day-of-month month
 * day-of-week) or one of its macros. cron-parser alone would also take a seconds field, `H` and
 * aliases 1.3 refuses, so those are ruled out first.
 */
export function isValidCron(expression: unknown): expression is string {
  if (typeof expression !== 'string') return false;
  const trimmed = expression.trim();
  if (MACROS[trimmed.toLowerCase()]) return true;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5 || /[hH]/.test(trimmed.replace(/[a-zA-Z]{3}/g, ''))) return false;
  try {
    CronExpressionParser.parse(trimmed, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

/** The first tick of `expression` strictly after `after` (UTC, whole minutes). */
export function nextTick(expression: string, after: Date): Date {
  const trimmed = expression.trim();
  const interval = CronExpressionParser.parse(MACROS[trimmed.toLowerCase()] ?? trimmed, { tz: 'UTC', currentDate: after });
  return interval.next().toDate();
}
