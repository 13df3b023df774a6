import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';
import { DocumentNode, execute, ExecutionResult, getOperationAST, GraphQLError, GraphQLSchema, parse, specifiedRules, validate, ValidationRule } from 'graphql';

import { maxDepthRule, noIntrospectionRule, operationComplexity } from './limits';
import { batchItems, GraphqlItem } from './request-body';
import { servedOperations, RouteDiscovery } from './route-discovery';
import { Caller, RouteFieldError, RouteRunner } from './route-runner';
import { buildSchema } from './schema.builder';

const logger = serviceLogger('api');

/** Parsed and validated queries kept per process (clients repeat the same query text with new variables). */
const PREPARED_CACHE_SIZE = 500;
const PREPARED_MAX_QUERY_LENGTH = 16 * 1024;

/** A query text, parsed and validated: the document, or the errors it has. */
type Prepared = { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: FormattedError[] };

export interface FormattedError {
  message: string;
  extensions: { category: 'appwrite' | 'graphql' | 'internal' };
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
}

/** One request's answer, keys in 1.3's order: errors, then data. */
export interface GraphqlResult {
  errors?: FormattedError[];
  data?: Record<string, unknown> | null;
}

export interface ExecuteOptions {
  /** GET runs queries only: a mutation is refused (a link must not change data). */
  queriesOnly?: boolean;
}

/**
 * Builds the schema once from the routes the API serves, then runs GraphQL requests: each one
 * parsed, validated (with 1.3's introspection, depth and complexity limits while abuse checks are
 * on) and executed, every field running its REST route as the caller.
 */
@Injectable()
export class GraphqlService implements OnApplicationBootstrap {
  private schema?: GraphQLSchema;
  private readonly prepared = new Map<string, Prepared>();

  constructor(
    private readonly config: AppConfig,
    private readonly discovery: RouteDiscovery,
    private readonly runner: RouteRunner,
  ) {}

  onApplicationBootstrap(): void {
    const operations = servedOperations(this.discovery.routes());
    this.schema = buildSchema(operations, (operation, args, caller: Caller) => this.runner.run(operation, args, caller));
    logger.debug({ fields: operations.length }, 'graphql schema built');
  }

  /** Multipart limits of a GraphQL upload: one file per request of a batch, each as large as an upload route takes. */
  uploadLimits(): Record<string, number> {
    const files = this.config.get('graphql').maxBatchSize;
    return { files, fileSize: Math.max(this.config.get('storage').limit, this.config.get('functions').sizeLimit), fields: 2, fieldSize: 10 * 1024 * 1024, parts: files + 2 };
  }

  /** Runs a payload (one request or a batch): one answer, or a list for a batch of two or more (as 1.3). */
  async execute(payload: unknown, caller: Caller, options: ExecuteOptions = {}): Promise<GraphqlResult | GraphqlResult[]> {
    const items = batchItems(payload, this.config.get('graphql').maxBatchSize);
    const results: GraphqlResult[] = [];
    // One after another: a batch's mutations keep their order, and a batch cannot take every core.
    for (const item of items) results.push(await this.run(item, caller, options));
    return results.length === 1 ? results[0] : results;
  }

  private async run(item: GraphqlItem, caller: Caller, options: ExecuteOptions): Promise<GraphqlResult> {
    const schema = this.schema;
    if (!schema) throw new Error('graphql schema is not built yet');
    const request = readItem(item);
    if (request instanceof GraphQLError) return { errors: [formatError(request)] };
    const { document, errors } = this.prepare(schema, request.query);
    if (errors) return { errors };
    const limited = this.config.get('abuse');
    const limits = this.config.get('graphql');
    const operation = getOperationAST(document, request.operationName);
    if (operation && options.queriesOnly && operation.operation !== 'query') {
      return { errors: [formatError(new GraphQLError('Only queries run over GET; send mutations with POST.', { nodes: operation }))] };
    }
    if (operation && limited) {
      const complexity = operationComplexity(schema, document, operation, request.variables ?? {});
      if (complexity > limits.maxComplexity) return { errors: [formatError(new GraphQLError(`Max query complexity should be ${limits.maxComplexity} but got ${complexity}.`, { nodes: operation }))] };
    }
    const result: ExecutionResult = await execute({ schema, document, variableValues: request.variables, operationName: request.operationName, contextValue: caller });
    return formatResult(result);
  }

  /**
   * Parses and validates a query once: the standard rules plus, while abuse checks are on, 1.3's
   * introspection and depth limits (profiled: validation was the largest GraphQL cost of a request).
   */
  private prepare(schema: GraphQLSchema, query: string): Prepared {
    const cached = this.prepared.get(query);
    if (cached) return cached;
    let prepared: Prepared;
    try {
      const document = parse(query);
      const rules: ValidationRule[] = this.config.get('abuse') ? [...specifiedRules, noIntrospectionRule, maxDepthRule(this.config.get('graphql').maxDepth)] : [...specifiedRules];
      const invalid = validate(schema, document, rules);
      prepared = invalid.length ? { errors: invalid.map(formatError) } : { document };
    } catch (error) {
      prepared = { errors: [formatError(error as GraphQLError)] };
    }
    if (query.length <= PREPARED_MAX_QUERY_LENGTH) {
      if (this.prepared.size >= PREPARED_CACHE_SIZE) this.prepared.delete(this.prepared.keys().next().value as string);
      this.prepared.set(query, prepared);
    }
    return prepared;
  }
}

interface ReadRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** Checks a request's fields; a wrong type is a GraphQL error (category graphql), never a server error. */
export function readItem(item: GraphqlItem): ReadRequest | GraphQLError {
  if (typeof item.query !== 'string') return new GraphQLError('The query must be a string.');
  let variables = item.variables;
  if (typeof variables === 'string') {
    try {
      variables = variables.trim() === '' ? undefined : JSON.parse(variables);
    } catch {
      return new GraphQLError('The variables must be a JSON object.');
    }
  }
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return new GraphQLError('The variables must be a JSON object.');
  const operationName = item.operationName;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return new GraphQLError('The operationName must be a string.');
  return { query: item.query, variables: (variables ?? undefined) as Record<string, unknown> | undefined, operationName: operationName || undefined };
}

function formatResult(result: ExecutionResult): GraphqlResult {
  const answer: GraphqlResult = {};
  if (result.errors?.length) answer.errors = result.errors.map(formatError);
  if (result.data !== undefined) answer.data = result.data as Record<string, unknown> | null;
  return answer;
}

/**
 * graphql-php's error shape as 1.3 sends it: message, category, locations, path. A route's failure is
 * category `appwrite` with the route's message; query, validation and variable errors `graphql`; any
 * other failure inside a resolver `internal` with a generic message (and a log line).
 */
export function formatError(error: GraphQLError): FormattedError {
  const original = error.originalError;
  let message = error.message;
  let category: FormattedError['extensions']['category'] = 'graphql';
  if (original instanceof RouteFieldError) category = 'appwrite';
  else if (original && !(original instanceof GraphQLError)) {
    category = 'internal';
    message = 'Internal server error';
    logger.error({ err: original, path: error.path }, 'graphql resolver failed');
  }
  const formatted: FormattedError = { message, extensions: { category } };
  if (error.locations?.length) formatted.locations = error.locations.map(({ line, column }) => ({ line, column }));
  if (error.path?.length) formatted.path = [...error.path];
  return formatted;
}
