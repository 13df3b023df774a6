import { AttributeEntity } from '@appconda/database';

import { AttributeDraft, assertDefaultAllowed, assertFormatDefault, enumSize, FORMAT_SIZE, integerSize, numericRange, stringSize, TextFormat } from './attribute.rules';
import {
  CreateBooleanAttributeDto,
  CreateEnumAttributeDto,
  CreateFloatAttributeDto,
  CreateIntegerAttributeDto,
  CreateStringAttributeDto,
  CreateTextAttributeDto,
  UpdateBooleanAttributeDto,
  UpdateEnumAttributeDto,
  UpdateFloatAttributeDto,
  UpdateIntegerAttributeDto,
  UpdateTextAttributeDto,
} from './attributes.dto';
import { AttributeChange } from './attributes.service';

/**
 * Turns each 1.3 create/update attribute request into a checked row, in the order 1.3 checks:
 * param formats (400 general_argument_invalid), default vs required/array (attribute_default_unsupported),
 * then ranges and sizes (attribute_value_invalid).
 */
const base = { signed: true, filters: [] as string[], options: {} };

export function stringDraft(dto: CreateStringAttributeDto): AttributeDraft {
  const size = stringSize(dto.size, dto.default);
  assertDefaultAllowed(dto.required, dto.array ?? false, dto.default);
  return { ...base, key: dto.key, type: 'string', size, required: dto.required, array: dto.array ?? false, default: dto.default ?? null, format: '', formatOptions: {} };
}

/** email, ip, url: strings of a fixed size with a format. */
export function formatDraft(format: 'email' | 'ip' | 'url', dto: CreateTextAttributeDto): AttributeDraft {
  assertFormatDefault(format, dto.default);
  assertDefaultAllowed(dto.required, dto.array ?? false, dto.default);
  return { ...base, key: dto.key, type: 'string', size: FORMAT_SIZE[format], required: dto.required, array: dto.array ?? false, default: dto.default ?? null, format, formatOptions: {} };
}

export function enumDraft(dto: CreateEnumAttributeDto): AttributeDraft {
  assertDefaultAllowed(dto.required, dto.array ?? false, dto.default);
  const size = enumSize(dto.elements, dto.default);
  return { ...base, key: dto.key, type: 'string', size, required: dto.required, array: dto.array ?? false, default: dto.default ?? null, format: 'enum', formatOptions: { elements: dto.elements } };
}

export function integerDraft(dto: CreateIntegerAttributeDto): AttributeDraft {
  assertDefaultAllowed(dto.required, dto.array ?? false, dto.default);
  const { min, max } = numericRange('integer', dto.min, dto.max, dto.default);
  return { ...base, key: dto.key, type: 'integer', size: integerSize(max, min), required: dto.required, array: dto.array ?? false, default: dto.default ?? null, format: 'intRange', formatOptions: { min, max } };
}

export function floatDraft(dto: CreateFloatAttributeDto): AttributeDraft {
  assertDefaultAllowed(dto.required, dto.array ?? false, dto.default);
  const { min, max } = numericRange('double', dto.min, dto.max, dto.default);
  return { ...base, key: dto.key, type: 'double', size: 0, required: dto.required, array: dto.array ?? false, default: dto.default ?? null, format: 'floatRange', formatOptions: { min, max } };
}

export function booleanDraft(dto: CreateBooleanAttributeDto): AttributeDraft {
  assertDefaultAllowed(dto.required, dto.array ?? false, dto.default);
  return { ...base, key: dto.key, type: 'boolean', size: 0, required: dto.required, array: dto.array ?? false, default: dto.default ?? null, format: '', formatOptions: {} };
}

export function datetimeDraft(dto: CreateTextAttributeDto): AttributeDraft {
  assertFormatDefault('datetime', dto.default);
  assertDefaultAllowed(dto.required, dto.array ?? false, dto.default);
  return { ...base, key: dto.key, type: 'datetime', size: 0, required: dto.required, array: dto.array ?? false, default: dto.default ?? null, format: '', formatOptions: {}, filters: ['datetime'] };
}

/** PATCH of string, email, ip, url and datetime attributes. */
export function textChange(format: TextFormat, dto: UpdateTextAttributeDto): (attribute: AttributeEntity) => AttributeChange {
  return (attribute) => {
    assertFormatDefault(format, dto.default);
    assertDefaultAllowed(dto.required, attribute.array, dto.default);
    if (format === '' && attribute.type === 'string') stringSize(attribute.size, dto.default);
    return { required: dto.required, default: dto.default ?? null };
  };
}

export function enumChange(dto: UpdateEnumAttributeDto): (attribute: AttributeEntity) => AttributeChange {
  return (attribute) => {
    assertDefaultAllowed(dto.required, attribute.array, dto.default);
    const size = enumSize(dto.elements, dto.default);
    return { required: dto.required, default: dto.default ?? null, formatOptions: { elements: dto.elements }, ...(size > attribute.size ? { size } : {}) };
  };
}

export function numberChange(type: 'integer' | 'double', dto: UpdateIntegerAttributeDto | UpdateFloatAttributeDto): (attribute: AttributeEntity) => AttributeChange {
  return (attribute) => {
    assertDefaultAllowed(dto.required, attribute.array, dto.default);
    const { min, max } = numericRange(type, dto.min, dto.max, dto.default);
    // A range past 32 bits widens the INT column to BIGINT (the update path alters the column first).
    const size = type === 'integer' ? integerSize(max, min) : 0;
    return { required: dto.required, default: dto.default ?? null, formatOptions: { min, max }, ...(size > attribute.size ? { size } : {}) };
  };
}

export function booleanChange(dto: UpdateBooleanAttributeDto): (attribute: AttributeEntity) => AttributeChange {
  return (attribute) => {
    assertDefaultAllowed(dto.required, attribute.array, dto.default);
    return { required: dto.required, default: dto.default ?? null };
  };
}
