import { AppException, ErrorType, nestsDeeperThan } from '@appconda/core';

/**
 * Input rules shared by the users and account routes, with Appwrite 1.3's validator texts
 * (`Invalid <param>: <text>`, 400 general_argument_invalid).
 */
export const UserRules = {
  /** Utopia's Text(128) on names. */
  nameMax: 128,
  nameMessage: 'Value must be a valid string and no longer than 128 chars',
  /** 1.3's Password validator: at least 8 characters. */
  passwordMin: 8,
  passwordMessage: 'Password must be at least 8 characters',
  /** An imported hash is stored as given: 1.3's `password` attribute holds 16,384 characters (our TEXT column 65,535 bytes). */
  hashMax: 16384,
  hashMessage: 'Password must be at least 8 characters and no longer than 16384 characters',
  /** 1.3's Phone validator: E.164, a `+` then up to 15 digits, no leading zero. */
  phonePattern: /^\+[1-9]\d{1,14}$/,
  phoneMessage: "Phone number must start with a '+' can have a maximum of fifteen digits.",
  emailMessage: 'Value must be a valid email address',
  /** 1.3's Assoc validator: an object whose JSON is at most 65,535 bytes. */
  prefsMaxBytes: 65535,
  /** MariaDB refuses JSON whose JSON_DEPTH is 32 or more (the prefs object is level 1, a value in it level 2). */
  prefsMaxDepth: 31,
  prefsMessage: 'Value must be a valid object.',
} as const;

// A pragmatic form of PHP's FILTER_VALIDATE_EMAIL: local part of allowed chars, dotted domain, length limits.
const EMAIL = /^(?!\.)[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}(?<!\.)@(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$/;

export function isValidEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 320 && EMAIL.test(value) && !value.includes('..');
}

export function isValidPhone(value: unknown): value is string {
  return typeof value === 'string' && UserRules.phonePattern.test(value);
}

export function isValidPassword(value: unknown): value is string {
  return typeof value === 'string' && value.length >= UserRules.passwordMin;
}

/** An imported password hash: a password that also fits the column it is stored in verbatim. */
export function isValidPasswordHash(value: unknown): value is string {
  return isValidPassword(value) && value.length <= UserRules.hashMax && Buffer.byteLength(value) <= 65535;
}

/** An object (or the empty list PHP clients send for an empty map) of at most 64 KB of JSON that MariaDB accepts (JSON_DEPTH ≤ 31). */
export function isValidPrefs(value: unknown): value is Record<string, unknown> {
  if (Array.isArray(value) && value.length === 0) return true;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return !nestsDeeperThan(value, UserRules.prefsMaxDepth, true) && Buffer.byteLength(JSON.stringify(value)) <= UserRules.prefsMaxBytes;
}

export function invalidParam(param: string, rule: string): AppException {
  return new AppException(ErrorType.GeneralArgumentInvalid, `Invalid ${param}: ${rule}`);
}

/** Appwrite's `search` attribute of a user: id, email, phone and name joined by spaces (empty parts dropped). */
export function userSearchText(user: { uid: string; email?: string | null; phone?: string | null; name?: string | null }): string {
  return [user.uid, user.email, user.phone, user.name].filter((part) => typeof part === 'string' && part !== '').join(' ');
}

/** MariaDB's duplicate-key error (a unique index refused the row), whichever driver raised it. */
export function isDuplicateKey(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  return candidates.some((e) => {
    const err = e as { code?: string; errno?: number } | null | undefined;
    return err?.code === 'ER_DUP_ENTRY' || err?.errno === 1062;
  });
}

/** Which unique index a duplicate-key error names (`uniq_email`, `uniq_phone`, `_uid`), when it says. */
export function duplicateIndex(error: unknown): string | undefined {
  const message = String((error as { message?: string } | null)?.message ?? '');
  return /for key '(?:[^'.]*\.)?([^']+)'/.exec(message)?.[1];
}
