import { ErrorType } from '@appconda/contracts';

import { AppException } from './app.exception';

/**
 * Deepest nesting of arrays/objects a request body may have. Appwrite 1.3 params are flat or shallow
 * (document data with nested relationships, prefs, permissions); MariaDB refuses JSON deeper than 32
 * anyway. 64 leaves room for nested relationship documents and keeps recursive validation far from the
 * stack limit (a body nested 10,000 deep used to overflow it).
 */
export const MAX_BODY_DEPTH = 64;

/**
 * True when `value` nests arrays/objects deeper than `max` levels (iterative: no recursion on hostile input).
 * With `scalarsCount`, a value inside a container is a level too, as MariaDB's JSON_DEPTH counts
 * (`{"a":1}` is 2 deep, `{}` is 1).
 */
export function nestsDeeperThan(value: unknown, max: number, scalarsCount = false): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (!current || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child && typeof child === 'object') stack.push([child, depth + 1]);
      else if (scalarsCount && depth + 1 > max) return true;
    }
  }
  return false;
}

/**
 * The params object of a JSON request body, as 1.3 reads params from it: an empty body is `{}`; anything
 * but a JSON object (an array, a string, a number) and anything nested deeper than MAX_BODY_DEPTH is
 * a 400 general_argument_invalid before any validation or SQL sees it.
 */
export function checkBodyParams(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppException(ErrorType.GeneralArgumentInvalid, 'The request body must be a JSON object of params.');
  }
  if (nestsDeeperThan(value, MAX_BODY_DEPTH)) {
    throw new AppException(ErrorType.GeneralArgumentInvalid, `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
  }
  return value as Record<string, unknown>;
}
