import { randomFillSync } from 'node:crypto';

/** What the SDKs' `ID.unique()` sends in place of an ID. */
export const UNIQUE_ID = 'unique()';

let lastMicros = 0;

/** Random bytes drawn 4 KiB at a time: one getrandom call per 1 024 IDs instead of one per ID. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** 7 random hex chars (28 bits). */
function randomHex7(): string {
  if (poolOffset + 4 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const value = pool.readUInt32BE(poolOffset) >>> 4;
  poolOffset += 4;
  return value.toString(16).padStart(7, '0');
}

/**
 * A server-generated ID in Appwrite's shape: 13 hex chars from the clock (microseconds, like PHP's
 * uniqid) plus 7 random hex chars, 20 in all. The clock part never repeats within a process.
 */
export function generateId(): string {
  const now = Date.now() * 1000 + Math.floor((performance.now() % 1) * 1000);
  lastMicros = now > lastMicros ? now : lastMicros + 1;
  const seconds = Math.floor(lastMicros / 1e6);
  const micros = lastMicros % 1e6;
  const clock = seconds.toString(16).padStart(8, '0') + micros.toString(16).padStart(5, '0');
  return clock + randomHex7();
}

/** Resolves a create route's ID param: `unique()` becomes a generated ID. */
export function resolveId(id: string): string {
  return id === UNIQUE_ID ? generateId() : id;
}

const CUSTOM_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;

/** Appwrite's custom ID rule: up to 36 chars of a-z A-Z 0-9 . - _, not starting with a special char. */
export function isValidCustomId(id: string): boolean {
  return id === UNIQUE_ID || CUSTOM_ID.test(id);
}
