import { ErrorType } from '@appconda/contracts';
import { AppException } from '@appconda/core';
import { AttributeEntity } from '@appconda/database';
import { isIP } from 'node:net';

/**
 * 1.3's document structure check (utopia-php/database `Structure`): every key must be an available
 * attribute, required ones present, values of the attribute's type, size, range and format. Errors are
 * 400 document_invalid_structure with `Invalid document structure: …` messages in 1.3's wording.
 * Pure: no IO. Relationship attributes are left to the relationship writer.
 */

export function invalidStructure(reason: string): AppException {
  return new AppException(ErrorType.DocumentInvalidStructure, `Invalid document structure: ${reason}`);
}

const INT32 = 2147483647;
const INT64 = Number.MAX_SAFE_INTEGER;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** PHP number_format(): thousands separators, no decimals. */
function numberFormat(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function rangeOf(attribute: AttributeEntity): { min: number; max: number } {
  const options = attribute.formatOptions ?? {};
  if (attribute.type === 'integer') {
    const wide = attribute.size >= 8;
    return { min: typeof options.min === 'number' ? options.min : wide ? -INT64 : -INT32 - 1, max: typeof options.max === 'number' ? options.max : wide ? INT64 : INT32 };
  }
  return { min: typeof options.min === 'number' ? options.min : -Number.MAX_VALUE, max: typeof options.max === 'number' ? options.max : Number.MAX_VALUE };
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) && (url.hostname !== '' || url.protocol === 'file:');
  } catch {
    return false;
  }
}

/** Why one scalar value is invalid for the attribute (`has invalid type. …` / `has invalid format. …`), or undefined. */
function scalarProblem(attribute: AttributeEntity, value: unknown): string | undefined {
  switch (attribute.type) {
    case 'string': {
      const size = attribute.size || 255;
      if (typeof value !== 'string' || [...value].length > size) return `type. Value must be a valid string and no longer than ${size} chars`;
      switch (attribute.format) {
        case 'email':
          return EMAIL.test(value) ? undefined : 'format. Value must be a valid email address';
        case 'url':
          return isUrl(value) ? undefined : 'format. Value must be a valid URL';
        case 'ip':
          return isIP(value) ? undefined : 'format. Value must be a valid IP address';
        case 'enum': {
          const elements = (attribute.formatOptions?.elements as string[] | undefined) ?? [];
          return elements.includes(value) ? undefined : `format. Value must be one of (${elements.join(', ')})`;
        }
        default:
          return undefined;
      }
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'type. Value must be a valid integer';
      const { min, max } = rangeOf(attribute);
      return value < min || value > max ? `format. Value must be a valid range between ${numberFormat(min)} and ${numberFormat(max)}` : undefined;
    }
    case 'double': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'type. Value must be a valid float';
      const { min, max } = rangeOf(attribute);
      return value < min || value > max ? `format. Value must be a valid range between ${numberFormat(min)} and ${numberFormat(max)}` : undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'type. Value must be a valid boolean';
    case 'datetime':
      return typeof value === 'string' && parseDatetime(value) ? undefined : 'type. Value must be valid date between 0000-01-01 and 9999-12-31.';
    default:
      return undefined;
  }
}

/** An ISO-ish datetime as a Date (a value without an offset is UTC, as PHP with a UTC zone reads it). */
export function parseDatetime(value: string): Date | null {
  if (value === '') return null;
  const naive = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value);
  const date = new Date(naive ? `${value.replace(' ', 'T')}${value.length > 10 ? 'Z' : 'T00:00:00Z'}` : value);
  if (Number.isNaN(date.getTime())) return null;
  const year = date.getUTCFullYear();
  return year < 0 || year > 9999 ? null : date;
}

/** The value as its column stores it: datetimes become Dates (or ISO strings inside arrays), arrays JSON text. */
function columnValue(attribute: AttributeEntity, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (attribute.array) {
    const items = attribute.type === 'datetime' ? (value as string[]).map((item) => (item === null ? null : parseDatetime(item)!.toISOString())) : value;
    return JSON.stringify(items);
  }
  if (attribute.type === 'datetime') return parseDatetime(value as string);
  return value;
}

/** Checks one attribute's value and returns its column value. */
export function checkAttribute(attribute: AttributeEntity, value: unknown): unknown {
  const key = attribute.key;
  if (value === undefined || value === null) {
    if (attribute.required) throw invalidStructure(`Missing required attribute "${key}"`);
    return null;
  }
  if (attribute.array) {
    if (!Array.isArray(value)) throw invalidStructure(`Attribute "${key}" must be an array`);
    value.forEach((item, index) => {
      if (item === null && !attribute.required) return;
      const problem = scalarProblem(attribute, item);
      if (problem) throw invalidStructure(`Attribute "${key}['${index}']" has invalid ${problem}`);
    });
  } else {
    if (Array.isArray(value) && attribute.type !== 'relationship') throw invalidStructure(`Attribute "${key}" has invalid type. Value must not be an array`);
    const problem = scalarProblem(attribute, value);
    if (problem) throw invalidStructure(`Attribute "${key}" has invalid ${problem}`);
  }
  return columnValue(attribute, value);
}

export interface StructureResult {
  /** Column name → bound value, for the available non-relationship attributes written. */
  columns: Map<string, unknown>;
  /** Relationship attribute key → the raw value sent (ids or nested documents). */
  relations: Map<string, unknown>;
}

const SYSTEM_KEYS = new Set(['$id', '$permissions', '$createdAt', '$updatedAt', '$collectionId', '$databaseId', '$collection', '$internalId']);

/**
 * Validates a document's data. On create every available attribute gets a value (the sent one, its
 * default, or NULL) and required ones must be present; on update (`partial`) only sent keys are checked
 * and written. `known` holds every attribute key whatever its status: keys of attributes still being
 * processed are dropped quietly (they have no column yet), anything else unknown is refused.
 */
export function checkStructure(attributes: readonly AttributeEntity[], known: ReadonlySet<string>, data: Record<string, unknown>, partial: boolean): StructureResult {
  const columns = new Map<string, unknown>();
  const relations = new Map<string, unknown>();
  const available = new Set<string>();
  for (const attribute of attributes) available.add(attribute.key);
  for (const key of Object.keys(data)) {
    if (available.has(key) || SYSTEM_KEYS.has(key)) continue;
    if (!known.has(key)) throw invalidStructure(`Unknown attribute: "${key}"`);
  }
  for (const attribute of attributes) {
    const sent = Object.prototype.hasOwnProperty.call(data, attribute.key);
    if (partial && !sent) continue;
    if (attribute.type === 'relationship') {
      if (sent) relations.set(attribute.key, data[attribute.key]);
      continue;
    }
    let value = data[attribute.key];
    if (!partial && (value === undefined || value === null) && attribute.default !== null && attribute.default !== undefined) value = attribute.default;
    columns.set(attribute.key, checkAttribute(attribute, value));
  }
  return { columns, relations };
}
