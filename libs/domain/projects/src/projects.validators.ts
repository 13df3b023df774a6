import { isValidEvent } from '@appconda/contracts';
import { registerDecorator } from 'class-validator';
import { parse as parseDomain } from 'tldts';

/**
 * Param rules worded like the 1.3 framework's validators, so a failure reads
 * `Invalid <param>: <description>` exactly as Appwrite answers it.
 */
function rule(name: string, message: string, test: (value: unknown) => boolean): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({ name, target: target.constructor, propertyName: propertyKey as string, options: { message }, validator: { validate: test } });
}

/** Utopia `Text(max)`. */
export function IsText(max: number): PropertyDecorator {
  return rule('isText', `Value must be a valid string and no longer than ${max} chars`, (v) => typeof v === 'string' && [...v].length <= max);
}

/** Utopia `Range(min, max)` over integers. */
export function IsRange(min: number, max: number): PropertyDecorator {
  const format = (n: number) => n.toLocaleString('en-US');
  return rule('isRange', `Value must be a valid range between ${format(min)} and ${format(max)}`, (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
}

/** Utopia `Boolean` (strict). */
export function IsBool(): PropertyDecorator {
  return rule('isBool', 'Value must be a valid boolean', (v) => typeof v === 'boolean');
}

/** Utopia `WhiteList(values, strict)`. */
export function IsOneOf(values: readonly string[]): PropertyDecorator {
  return rule('isOneOf', `Value must be one of (${values.join(', ')})`, (v) => typeof v === 'string' && values.includes(v));
}

/** `ArrayList(WhiteList(values), max)`. */
export function IsListOf(values: readonly string[], max: number): PropertyDecorator {
  return rule(
    'isListOf',
    `Value must a valid array no longer than ${max} items and Value must be one of (${values.join(', ')})`,
    (v) => Array.isArray(v) && v.length <= max && v.every((item) => typeof item === 'string' && values.includes(item)),
  );
}

/** `ArrayList(Event, max)`: webhook events. */
export function IsEventList(max: number): PropertyDecorator {
  return rule('isEventList', `Value must a valid array no longer than ${max} items and Event is not valid.`, (v) => Array.isArray(v) && v.length <= max && v.every((e) => typeof e === 'string' && isValidEvent(e)));
}

export function isUrl(value: unknown, schemes?: readonly string[]): boolean {
  if (typeof value !== 'string' || value === '') return false;
  try {
    const url = new URL(value);
    const scheme = url.protocol.replace(/:$/, '');
    return Boolean(url.hostname) && (!schemes || schemes.includes(scheme));
  } catch {
    return false;
  }
}

/** Utopia `URL(schemes)`; an empty string passes for optional params (1.3's default is ''). */
export function IsUrlParam(schemes?: readonly string[], allowEmpty = false): PropertyDecorator {
  const message = schemes ? `Value must be a valid URL with following schemes (${schemes.join(', ')})` : 'Value must be a valid URL';
  return rule('isUrlParam', message, (v) => (allowEmpty && v === '') || isUrl(v, schemes));
}

const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*$/;

/** Utopia `Hostname`: no scheme, port or path; a leading `*.` wildcard is allowed. Empty passes (1.3 default ''). */
export function IsHostnameParam(): PropertyDecorator {
  return rule('isHostnameParam', 'Value must be a valid hostname without path, port and protocol.', (v) => v === '' || (typeof v === 'string' && HOSTNAME.test(v)));
}

/** Appwrite `Network\Validator\Domain`: a dotted name of valid labels. */
export function isDomainName(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 253 || !value.includes('.')) return false;
  const parsed = parseDomain(value);
  return !parsed.isIp && parsed.hostname === value.toLowerCase() && value.split('.').every((label) => /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(label));
}

export function IsDomainParam(): PropertyDecorator {
  return rule('isDomainParam', 'Value must be a valid domain', isDomainName);
}

/** `DatetimeValidator`: an ISO 8601 date; null/absent means "no expiry" and is allowed by @IsOptional. */
export function IsDatetimeParam(): PropertyDecorator {
  return rule('isDatetimeParam', 'Value must be valid date.', (v) => typeof v === 'string' && v !== '' && !Number.isNaN(new Date(v).getTime()));
}
