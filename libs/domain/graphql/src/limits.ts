import {
  ASTVisitor,
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  valueFromAST,
} from 'graphql';

import { LIST_FIELD } from './schema.builder';

/** Appwrite 1.3's page size when `queries` set no `limit()` (APP_LIMIT_LIST_DEFAULT). */
export const DEFAULT_PAGE_SIZE = 25;

/** 1.3 (graphql-php's DisableIntrospection): `__schema` and `__type` are refused; `__typename` stays allowed. */
export function noIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type')
        context.reportError(new GraphQLError('GraphQL introspection is not allowed, but the query contained __schema or __type', { nodes: node }));
    },
  };
}

/** graphql-php's QueryDepth: fields nested deeper than `max` levels (fragments add no level). */
export function maxDepthRule(max: number): (context: ValidationContext) => ASTVisitor {
  return (context) => ({
    OperationDefinition(node) {
      const depth = selectionDepth(node.selectionSet, 0, (name) => context.getFragment(name), new Set());
      if (depth > max) context.reportError(new GraphQLError(`Max query depth should be ${max} but got ${depth}.`, { nodes: node }));
    },
  });
}

type FragmentLookup = (name: string) => FragmentDefinitionNode | null | undefined;

function selectionDepth(selectionSet: SelectionSetNode, depth: number, fragment: FragmentLookup, seen: ReadonlySet<string>): number {
  let deepest = depth;
  for (const selection of selectionSet.selections) {
    let found = depth;
    if (selection.kind === Kind.FIELD) found = selection.selectionSet ? selectionDepth(selection.selectionSet, depth + 1, fragment, seen) : depth + 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) found = selectionDepth(selection.selectionSet, depth, fragment, seen);
    else {
      const definition = seen.has(selection.name.value) ? undefined : fragment(selection.name.value);
      if (definition) found = selectionDepth(definition.selectionSet, depth, fragment, new Set([...seen, selection.name.value]));
    }
    deepest = Math.max(deepest, found);
  }
  return deepest;
}

/**
 * graphql-php's QueryComplexity as 1.3 configures it: each field costs 1 plus its children, and a list
 * field (one taking `queries`) costs its children times the page size its `limit()` asks for (25 by
 * default). Needs the variables, so it runs after validation, on the operation about to execute.
 */
export function operationComplexity(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  return root ? new ComplexityCounter(schema, fragments, variables).selections(operation.selectionSet, root, new Set()) : 0;
}

class ComplexityCounter {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  selections(selectionSet: SelectionSetNode, parent: GraphQLNamedType, seen: ReadonlySet<string>): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (this.skipped(selection.directives ?? [])) continue;
      if (selection.kind === Kind.FIELD) total += this.field(selection, parent, seen);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        total += type ? this.selections(selection.selectionSet, type, seen) : 0;
      } else {
        const definition = seen.has(selection.name.value) ? undefined : this.fragments.get(selection.name.value);
        const type = definition && this.schema.getType(definition.typeCondition.name.value);
        if (definition && type) total += this.selections(definition.selectionSet, type, new Set([...seen, selection.name.value]));
      }
    }
    return total;
  }

  private field(node: FieldNode, parent: GraphQLNamedType, seen: ReadonlySet<string>): number {
    const definition = isObjectType(parent) || isInterfaceType(parent) ? (parent.getFields()[node.name.value] as GraphQLField<unknown, unknown> | undefined) : undefined;
    const children = node.selectionSet && definition ? this.selections(node.selectionSet, getNamedType(definition.type), seen) : 0;
    if (!definition?.extensions?.[LIST_FIELD]) return children + 1;
    return children * this.pageSize(node, definition);
  }

  private pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    const argument = node.arguments?.find((arg) => arg.name.value === 'queries');
    const type = definition.args.find((arg) => arg.name === 'queries')?.type;
    const queries = argument && type ? valueFromAST(argument.value, type, this.variables) : undefined;
    return Array.isArray(queries) ? limitOf(queries) : DEFAULT_PAGE_SIZE;
  }

  /** `@skip(if:)` / `@include(if:)`, with literal or variable conditions. */
  private skipped(directives: readonly DirectiveNode[]): boolean {
    for (const directive of directives) {
      const condition = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
      const value = condition?.kind === Kind.BOOLEAN ? condition.value : condition?.kind === Kind.VARIABLE ? Boolean(this.variables[condition.name.value]) : undefined;
      if (directive.name.value === 'skip' && value === true) return true;
      if (directive.name.value === 'include' && value === false) return true;
    }
    return false;
  }
}

/** The first `limit(n)` among 1.3 query strings, or the default page size. */
export function limitOf(queries: readonly unknown[]): number {
  for (const query of queries) {
    const match = typeof query === 'string' ? /^\s*limit\(\s*(\d+)\s*\)\s*$/.exec(query) : null;
    if (match) return Number(match[1]);
  }
  return DEFAULT_PAGE_SIZE;
}
