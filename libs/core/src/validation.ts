import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { plainToInstance, Transform } from 'class-transformer';
import { registerDecorator, validate, ValidationArguments, ValidationError, ValidationOptions, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

import { AppException } from './app.exception';
import { isValidCustomId } from './id';

/**
 * Validates route params with class-validator DTOs and answers like Appwrite 1.3's framework:
 * a missing required param is `Param "<name>" is not optional.`, an invalid one
 * `Invalid <name>: <rule>` — both 400 general_argument_invalid. Unknown params are ignored.
 */
@Injectable()
export class AppValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (!type || !['body', 'query', 'param'].includes(metadata.type) || isPrimitive(type)) return value;
    const input = value && typeof value === 'object' ? value : {};
    const instance = toInstance(type, input);
    const errors = await validate(instance as object, { whitelist: true, forbidUnknownValues: false, stopAtFirstError: true });
    if (errors.length) throw new AppException(ErrorType.GeneralArgumentInvalid, describe(errors[0], input as Record<string, unknown>));
    return instance;
  }
}

/**
 * The DTO instance of the params. class-transformer throws on some inputs it walks into (a nested object
 * with its own `constructor` key, `{"data":{"constructor":"x"}}`); that is the client's input, so a 400.
 */
function toInstance(type: new (...args: never[]) => unknown, input: object): unknown {
  try {
    return plainToInstance(type, input, { exposeDefaultValues: true });
  } catch {
    throw new AppException(ErrorType.GeneralArgumentInvalid, 'The request params could not be read (a nested object overrides a built-in property such as "constructor").');
  }
}

function isPrimitive(type: unknown): boolean {
  return type === String || type === Number || type === Boolean || type === Array || type === Object;
}

function describe(error: ValidationError, input: Record<string, unknown>): string {
  const name = error.property;
  const missing = input[name] === undefined || input[name] === null;
  const constraints = error.constraints ?? {};
  if (missing && !('isOptional' in constraints) && Object.keys(constraints).length) return `Param "${name}" is not optional.`;
  const rule = Object.values(constraints)[0] ?? (error.children?.length ? describe(error.children[0], {}) : 'Value is invalid');
  return `Invalid ${name}: ${rule}`;
}

/** Accepts booleans sent as strings (multipart and query strings carry "true"/"false"/"1"/"0"). */
export function ToBoolean(): PropertyDecorator {
  return Transform(({ value }) => {
    if (value === 'true' || value === '1' || value === 1) return true;
    if (value === 'false' || value === '0' || value === 0) return false;
    return value;
  });
}

/** Accepts integers sent as strings (query strings, multipart). */
export function ToInt(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value));
}

/** Accepts numbers sent as strings. */
export function ToNumber(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value));
}

/**
 * Accepts arrays in every form the SDKs send: real JSON arrays, `name[]=a&name[]=b`, `name[0]=a`,
 * or one value alone.
 */
export function ToArray(): PropertyDecorator {
  return Transform(({ value }) => {
    if (value === undefined || value === null || Array.isArray(value)) return value;
    if (typeof value === 'object') return Object.keys(value).sort((a, b) => Number(a) - Number(b)).map((k) => (value as Record<string, unknown>)[k]);
    return [value];
  });
}

/** Appwrite's custom ID rule (or `unique()`). */
export function IsUid(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isUid',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: {
        message: 'Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidCustomId(value) },
    });
}

/** A param rule as a property decorator, answering Appwrite 1.3's message for the param when it fails. */
export function Satisfies(name: string, test: (value: unknown) => boolean, message: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({ name, target: target.constructor, propertyName: propertyKey as string, options: { message, ...options }, validator: { validate: test } });
}

/** The same rule as a class-validator constraint class, for `@Validate(ruleConstraint(...))`. */
export function ruleConstraint(name: string, check: (value: unknown) => boolean, message: string): new () => ValidatorConstraintInterface {
  @ValidatorConstraint({ name })
  class RuleConstraint implements ValidatorConstraintInterface {
    validate(value: unknown): boolean {
      return check(value);
    }

    defaultMessage(_args?: ValidationArguments): string {
      return message;
    }
  }
  return RuleConstraint;
}
