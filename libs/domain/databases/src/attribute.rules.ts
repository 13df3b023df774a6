import { isIP } from 'node:net';
import { AppException, ErrorType } from '@appconda/core';
import { AttributeEntity, AttributeSpec, AttributeType, collectionFit } from '@appconda/database';
import { isEmail, isISO8601, isURL } from 'class-validator';

import { attributeSpec, relationshipLayout, RelationshipOptions } from './attribute.types';

/** 1.3 `APP_DATABASE_ATTRIBUTE_STRING_MAX_LENGTH`. */
export const STRING_MAX_LENGTH = 1_073_741_824;
/** PHP_INT_MIN / PHP_INT_MAX, the bounds 1.3 gives an integer attribute without min/max. */
export const INT_MIN = -9223372036854775808;
export const INT_MAX = 9223372036854775807;
const INT32_MAX = 2147483647;
/** Sizes 1.3 gives the string formats. */
export const FORMAT_SIZE = { email: 254, ip: 39, url: 2000 } as const;

/** What a create/update request asks for, before it becomes an attribute row. */
export interface AttributeDraft {
  key: string;
  type: AttributeType;
  size: number;
  required: boolean;
  default: unknown;
  signed: boolean;
  array: boolean;
  format: string;
  formatOptions: Record<string, unknown>;
  filters: string[];
  options: Record<string, unknown>;
}

export type TextFormat = '' | 'email' | 'ip' | 'url' | 'enum' | 'datetime';

function invalidParam(name: string, rule: string): AppException {
  return new AppException(ErrorType.GeneralArgumentInvalid, `Invalid \`${name}\` param: ${rule}`);
}

function valueInvalid(message: string): AppException {
  return new AppException(ErrorType.AttributeValueInvalid, message);
}

/** 1.3 refuses a default on required and on array attributes. */
export function assertDefaultAllowed(required: boolean, array: boolean, value: unknown): void {
  if (value === null || value === undefined) return;
  if (required) throw new AppException(ErrorType.AttributeDefaultUnsupported, 'Cannot set default value for required attribute');
  if (array) throw new AppException(ErrorType.AttributeDefaultUnsupported, 'Cannot set default value for array attributes');
}

/** The param-level format checks 1.3 applies to a string default (400 general_argument_invalid). */
export function assertFormatDefault(format: TextFormat, value: string | null | undefined): void {
  if (value === null || value === undefined) return;
  if (format === 'email' && !isEmail(value)) throw invalidParam('default', 'Value must be a valid email address');
  if (format === 'ip' && isIP(value) === 0) throw invalidParam('default', 'Value must be a valid IP address');
  if (format === 'url' && !isURL(value, { require_protocol: true, require_tld: false })) throw invalidParam('default', 'Value must be a valid URL');
  if (format === 'datetime' && (!isISO8601(value) || Number.isNaN(new Date(value).getTime()))) throw invalidParam('default', 'Value must be valid date.');
}

/** Enum elements: none may be empty; the column is as wide as the longest; the default must be one of them. */
export function enumSize(elements: readonly string[], value: string | null | undefined): number {
  if (elements.length === 0) throw valueInvalid('Enum elements must not be empty');
  let size = 0;
  for (const element of elements) {
    if (element.length === 0) throw valueInvalid('Each enum element must not be empty');
    if (element.length > 4096) throw invalidParam('elements', 'Value must a valid array no longer than 100 items and Value must be a valid string and at least 1 chars and no longer than 4096 chars');
    size = Math.max(size, element.length);
  }
  if (value !== null && value !== undefined && !elements.includes(value)) throw valueInvalid('Default value not found in elements');
  return size;
}

/** Numeric bounds as 1.3 resolves them: missing bounds are the type's extremes, min ≤ max, default within. */
export function numericRange(type: 'integer' | 'double', min: number | null | undefined, max: number | null | undefined, value: number | null | undefined): { min: number; max: number } {
  const low = min ?? (type === 'integer' ? INT_MIN : -Number.MAX_VALUE);
  const high = max ?? (type === 'integer' ? INT_MAX : Number.MAX_VALUE);
  if (low > high) throw valueInvalid('Minimum value must be lesser than maximum value');
  if (value !== null && value !== undefined && (value < low || value > high)) throw valueInvalid(`Value must be a valid range between ${low.toLocaleString('en-US')} and ${high.toLocaleString('en-US')}`);
  return { min: low, max: high };
}

/** 4-byte INT unless the range needs more (1.3 switches to BIGINT when max exceeds 2^31 - 1). */
export function integerSize(max: number, min: number): number {
  return max > INT32_MAX || min < -INT32_MAX - 1 ? 8 : 4;
}

export function stringSize(size: number, value: string | null | undefined): number {
  if (!Number.isInteger(size) || size < 1 || size > STRING_MAX_LENGTH) throw invalidParam('size', `Value must be a valid range between 1 and ${STRING_MAX_LENGTH.toLocaleString('en-US')}`);
  if (value !== null && value !== undefined && [...value].length > size) throw valueInvalid(`Value must be a valid string and no longer than ${size} chars`);
  return size;
}

/** The column an attribute row occupies on its own collection's table, or none (relationships stored elsewhere). */
export function ownColumn(attribute: Pick<AttributeEntity, 'key' | 'type' | 'size' | 'signed' | 'array' | 'format' | 'options'>): AttributeSpec | null {
  if (attribute.type !== 'relationship') return attributeSpec(attribute as AttributeEntity);
  const options = attribute.options as unknown as RelationshipOptions;
  const layout = relationshipLayout(options.relationType, Boolean(options.twoWay));
  const has = options.side === 'child' ? layout.childColumn : layout.parentColumn;
  return has ? { key: attribute.key, type: 'relationship' } : null;
}

/**
 * Refuses with 400 attribute_limit_exceeded when adding `extra` columns to the table would pass InnoDB's
 * row width or column count. Attributes that failed have no column and do not count.
 */
export function assertFits(existing: readonly AttributeEntity[], extra: readonly AttributeSpec[]): void {
  const columns = existing.filter((attribute) => attribute.status !== 'failed').map(ownColumn).filter((spec): spec is AttributeSpec => spec !== null);
  if (!collectionFit([...columns, ...extra]).fits) throw new AppException(ErrorType.AttributeLimitExceeded);
}
