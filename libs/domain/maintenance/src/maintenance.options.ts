/** Injection token of the scheduler's overrides. */
export const MAINTENANCE_OPTIONS = Symbol('MAINTENANCE_OPTIONS');

export interface MaintenanceOptions {
  /** Delay of the first run after boot; default 5 s (Appwrite's task also runs once right away). */
  firstRunDelayMs?: number;
  /** Overrides `_APP_MAINTENANCE_INTERVAL` (tests). */
  intervalMs?: number;
  /** The clock; default `new Date()`. */
  now?: () => Date;
}

export const DEFAULT_FIRST_RUN_DELAY_MS = 5_000;
