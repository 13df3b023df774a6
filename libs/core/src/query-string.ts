import { createParamDecorator, ExecutionContext } from '@nestjs/common';

const BRACKETED = /^(.+?)\[(\d*)\]$/;

/**
 * Parses a query string the way the SDKs encode arrays (PROTOCOL §1): `queries[]=a&queries[]=b`
 * (node SDK via axios), `queries[0]=a&queries[1]=b` (web SDK) and a bare `queries=a` all give
 * `queries`; bracketed forms always become arrays (indexed ones in index order).
 */
export function parseQueryString(input: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const indexed: Record<string, { index: number; value: string }[]> = {};
  for (const [rawKey, value] of new URLSearchParams(input)) {
    const match = BRACKETED.exec(rawKey);
    if (!match) {
      const current = result[rawKey];
      result[rawKey] = current === undefined ? value : ([] as unknown[]).concat(current, value);
      continue;
    }
    const [, name, index] = match;
    (indexed[name] ??= []).push({ index: index === '' ? Number.MAX_SAFE_INTEGER : Number(index), value });
  }
  for (const [name, entries] of Object.entries(indexed)) {
    const values = entries.sort((a, b) => a.index - b.index).map((entry) => entry.value);
    const current = result[name];
    result[name] = current === undefined ? values : ([] as unknown[]).concat(current, values);
  }
  return result;
}

/** An array param from a parsed query object: undefined when absent, one value becomes a one-element array. */
export function queryArray(query: unknown, name: string): string[] | undefined {
  if (!query || typeof query !== 'object') return undefined;
  const value = (query as Record<string, unknown>)[name];
  if (value === undefined || value === null) return undefined;
  return ([] as unknown[]).concat(value).map((item) => (typeof item === 'string' ? item : String(item)));
}

/** The `queries` param of a list route (`handler(@QueriesParam() queries?: string[])`). */
export const QueriesParam = createParamDecorator((_data: unknown, context: ExecutionContext): string[] | undefined =>
  queryArray(context.switchToHttp().getRequest<{ query?: unknown }>().query, 'queries'),
);
