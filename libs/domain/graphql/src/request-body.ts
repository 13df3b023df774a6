import { ErrorType } from '@appconda/contracts';
import { AppException } from '@appconda/core';

import { UploadedFile } from './scalars';

/** One GraphQL request of a (possibly batched) HTTP request, as sent; its fields are checked when it runs. */
export type GraphqlItem = Record<string, unknown>;

/** PHP's empty(), which 1.3 applies to `query`. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '' || value === '0') return true;
  return Array.isArray(value) && value.length === 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The GraphQL requests of a payload, as 1.3 reads them: an array is a batch, an object one request.
 * No request, or one without a query, is 400 graphql_no_query; more than `maxBatchSize` is 400
 * graphql_too_many_queries.
 */
export function batchItems(payload: unknown, maxBatchSize: number): GraphqlItem[] {
  const items: unknown[] = Array.isArray(payload) ? payload : isRecord(payload) ? [payload] : [];
  if (!items.length) throw new AppException(ErrorType.GraphqlNoQuery, 'Param "query" is not optional.');
  if (items.length > maxBatchSize) throw new AppException(ErrorType.GraphqlTooManyQueries, `Too many queries: at most ${maxBatchSize} per request.`);
  for (const item of items) if (!isRecord(item) || isEmpty(item.query)) throw new AppException(ErrorType.GraphqlNoQuery, 'Param "query" is not optional.');
  return items as GraphqlItem[];
}

/** `GET /v1/graphql?query=&operationName=&variables=` (variables as JSON text). */
export function queryStringPayload(query: unknown): unknown {
  const params = isRecord(query) ? query : {};
  const item: GraphqlItem = { query: params.query };
  if (!isEmpty(params.operationName)) item.operationName = params.operationName;
  if (!isEmpty(params.variables)) item.variables = params.variables;
  return item;
}

/**
 * A POST body: JSON `{query, variables, operationName}` (or an array of them), the SDKs' form
 * `{"query": <request or batch>}` flagged by `x-sdk-graphql: true`, or `application/graphql` text.
 */
export function postPayload(body: unknown, contentType: string, sdkGraphql: boolean): unknown {
  if (contentType.startsWith('application/graphql')) return { query: typeof body === 'string' ? body : '' };
  if (sdkGraphql && isRecord(body) && (Array.isArray(body.query) || isRecord(body.query))) return body.query;
  return body;
}

/** A multipart part as @fastify/multipart yields it. */
export type MultipartPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; mimetype: string; toBuffer(): Promise<Buffer> };

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The graphql-multipart-request-spec form: an `operations` field (the JSON payload), a `map` field
 * (`{"0": ["variables.file"]}`, batch paths start with the index) and the file parts it names. Each
 * file is put where the map points, as an UploadedFile the InputFile scalar accepts.
 */
export async function multipartPayload(parts: AsyncIterable<MultipartPart>): Promise<unknown> {
  const fields: Record<string, unknown> = {};
  const files = new Map<string, UploadedFile>();
  try {
    for await (const part of parts) {
      if (UNSAFE_KEYS.has(part.fieldname)) continue;
      if (part.type === 'file') files.set(part.fieldname, new UploadedFile(part.filename, part.mimetype, await part.toBuffer()));
      else fields[part.fieldname] = part.value;
    }
  } catch (error) {
    // Whatever the multipart reader refuses (a malformed or truncated body, a part over the limits) is bad input.
    if (error instanceof AppException) throw error;
    throw new AppException(ErrorType.GeneralArgumentInvalid, 'The multipart body is not valid.');
  }
  const operations = jsonField(fields.operations, 'operations');
  const map = jsonField(fields.map ?? '{}', 'map');
  if (!isRecord(map)) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid map: must be a JSON object of file keys to paths.');
  for (const [key, paths] of Object.entries(map)) {
    const file = files.get(key);
    if (!file) throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid map: no file part named "${key}".`);
    if (!Array.isArray(paths)) throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid map: the paths of "${key}" must be a list.`);
    for (const path of paths) place(operations, String(path), file);
  }
  return operations;
}

function jsonField(value: unknown, name: string): unknown {
  if (typeof value !== 'string') throw new AppException(ErrorType.GeneralArgumentInvalid, `Param "${name}" is not optional.`);
  try {
    return JSON.parse(value);
  } catch {
    throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid ${name}: Value must be valid JSON.`);
  }
}

/** Sets `path` (`variables.file`, `0.variables.files.1`) inside the operations, creating objects on the way as 1.3 does. */
function place(operations: unknown, path: string, file: UploadedFile): void {
  const keys = path.split('.');
  if (!isRecord(operations) && !Array.isArray(operations)) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid operations: must be a JSON object or list.');
  let target = operations as Record<string, unknown>;
  for (const [index, key] of keys.entries()) {
    if (UNSAFE_KEYS.has(key)) throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid map path: ${path}`);
    if (index === keys.length - 1) target[key] = file;
    else {
      if (target[key] === null || typeof target[key] !== 'object') target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
  }
}
