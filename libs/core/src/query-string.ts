import { createParamDecorator, ExecutionContext } from '@nestjs/common';

const BRACKETED = /^(.+?)\[(\d*)\]$/;

/**
 * Keys that would reach an object's prototype or constructor wherever a parsed query is spread,
 * assigned or handed to class-transformer. No Appwrite 1.3 param is named like them; they are dropped.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Largest index `name[n]` accepted; 1.3 array params hold at most 100 items, so anything past this is noise. */
const MAX_INDEX = 1_000_000;

/**
 * Parses a query string the way the SDKs encode arrays (PROTOCOL §1): `queries[]=a&queries[]=b`
 * (node SDK via axios), `queries[0]=a&queries[1]=b` (web SDK) and a bare `queries=a` all give
 * `queries`; bracketed forms always become arrays (indexed ones in index order).
 *
 * Never throws. The result has no prototype and is built from Maps, so a param named `toString`,
 * `hasOwnProperty` or `__proto__` is just a key (or dropped, see FORBIDDEN_KEYS) and alters nothing.
 */
export function parseQueryString(input: string): Record<string, unknown> {
  const plain = new Map<string, string | string[]>();
  const indexed = new Map<string, { index: number; order: number; value: string }[]>();
  let order = 0;
  for (const [rawKey, value] of new URLSearchParams(input)) {
    const match = BRACKETED.exec(rawKey);
    const name = match ? match[1] : rawKey;
    if (FORBIDDEN_KEYS.has(name)) continue;
    if (!match) {
      const current = plain.get(name);
      plain.set(name, current === undefined ? value : ([] as string[]).concat(current, value));
      continue;
    }
    const index = match[2] === '' ? MAX_INDEX + 1 : Math.min(Number(match[2]), MAX_INDEX);
    const entries = indexed.get(name) ?? [];
    entries.push({ index, order: order++, value });
    indexed.set(name, entries);
  }
  const result = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of plain) result[name] = value;
  for (const [name, entries] of indexed) {
    const values = entries.sort((a, b) => a.index - b.index || a.order - b.order).map((entry) => entry.value);
    const current = plain.get(name);
    result[name] = current === undefined ? values : ([] as string[]).concat(current, values);
  }
  return result;
}

/** An array param from a parsed query object: undefined when absent, one value becomes a one-element array. */
export function queryArray(query: unknown, name: string): string[] | undefined {
  if (!query || typeof query !== 'object' || !Object.prototype.hasOwnProperty.call(query, name)) return undefined;
  const value = (query as Record<string, unknown>)[name];
  if (value === undefined || value === null) return undefined;
  return ([] as unknown[]).concat(value).map((item) => (typeof item === 'string' ? item : String(item)));
}

/** The `queries` param of a list route (`handler(@QueriesParam() queries?: string[])`). */
export const QueriesParam = createParamDecorator((_data: unknown, context: ExecutionContext): string[] | undefined =>
  queryArray(context.switchToHttp().getRequest<{ query?: unknown }>().query, 'queries'),
);
