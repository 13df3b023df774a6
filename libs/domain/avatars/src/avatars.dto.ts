import { AppException, ErrorType } from '@appconda/core';

/** A generated or fetched avatar, ready to send. */
export interface AvatarImage {
  body: Buffer;
  contentType: string;
  /** How long clients may cache it (Appwrite 1.3 sends a matching `Expires`). */
  maxAge: number;
  /** Set when the caller asked for a download (`Content-Disposition: attachment`). */
  filename?: string;
}

export type AvatarQuery = Record<string, unknown>;

export interface IconParams {
  width: number;
  height: number;
  quality: number;
}

export interface ImageParams {
  url: string;
  width: number;
  height: number;
}

export interface InitialsParams {
  name: string;
  width: number;
  height: number;
  background: string;
}

export interface QrParams {
  text: string;
  size: number;
  margin: number;
  download: boolean;
}

function invalid(param: string, rule: string): AppException {
  return new AppException(ErrorType.GeneralArgumentInvalid, `Invalid \`${param}\` param: ${rule}`);
}

function scalar(query: AvatarQuery, param: string): string | undefined {
  const value = query[param];
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return value === undefined || value === null ? undefined : String(value);
}

/** An integer query param within [min, max] (Appwrite's Range validator), or its default when absent. */
export function intParam(query: AvatarQuery, param: string, min: number, max: number, fallback: number): number {
  const raw = scalar(query, param);
  if (raw === undefined || raw === '') return fallback;
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(param, `Value must be a valid range between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}`);
  }
  return value;
}

/** A string param of at most `max` characters; `required` ones must be present. */
export function textParam(query: AvatarQuery, param: string, max: number, required: boolean): string {
  const raw = scalar(query, param);
  if (raw === undefined) {
    if (required) throw new AppException(ErrorType.GeneralArgumentInvalid, `Param "${param}" is not optional.`);
    return '';
  }
  if ([...raw].length > max) throw invalid(param, `Value must be a valid string and no longer than ${max} chars`);
  return raw;
}

/** One of a fixed list, compared case-insensitively (Appwrite's non-strict WhiteList); answers the lower-case form. */
export function oneOfParam(param: string, value: string, allowed: readonly string[]): string {
  const key = value.toLowerCase();
  if (!allowed.includes(key)) throw invalid(param, `Value must be one of (${allowed.join(', ')})`);
  return key;
}

/** Appwrite's loose Boolean validator: true/false, 1/0 and their string forms. */
export function boolParam(query: AvatarQuery, param: string, fallback: boolean): boolean {
  const raw = scalar(query, param);
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw invalid(param, 'Value must be a valid boolean');
}

/** A hex colour without `#` (3 or 6 digits), or empty. */
export function colorParam(query: AvatarQuery, param: string): string {
  const raw = scalar(query, param) ?? '';
  if (raw && !/^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(raw)) throw invalid(param, 'Value must be a valid hex color code');
  return raw;
}

/** A required http(s) URL. */
export function urlParam(query: AvatarQuery, param: string): string {
  const raw = textParam(query, param, 2048, true);
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw invalid(param, 'Value must be a valid URL with following schemes (http, https)');
  return raw;
}

/** browsers, credit-cards and flags: sides 0..2000 (default 100), quality 0..100 (default 100). */
export function toIconParams(query: AvatarQuery): IconParams {
  return { width: intParam(query, 'width', 0, 2000, 100), height: intParam(query, 'height', 0, 2000, 100), quality: intParam(query, 'quality', 0, 100, 100) };
}

/** image: url, sides 0..2000 (default 400). */
export function toImageParams(query: AvatarQuery): ImageParams {
  return { url: urlParam(query, 'url'), width: intParam(query, 'width', 0, 2000, 400), height: intParam(query, 'height', 0, 2000, 400) };
}

/** initials: name (≤128), sides 0..2000 (default 500), background hex colour. */
export function toInitialsParams(query: AvatarQuery): InitialsParams {
  return { name: textParam(query, 'name', 128, false), width: intParam(query, 'width', 0, 2000, 500), height: intParam(query, 'height', 0, 2000, 500), background: colorParam(query, 'background') };
}

/** qr: text (≤512, required), size 1..1000 (default 400), margin 0..10 (default 1), download. */
export function toQrParams(query: AvatarQuery): QrParams {
  return { text: textParam(query, 'text', 512, true), size: intParam(query, 'size', 1, 1000, 400), margin: intParam(query, 'margin', 0, 10, 1), download: boolParam(query, 'download', false) };
}
