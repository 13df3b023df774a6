import { getOperationAST, GraphQLSchema, parse, specifiedRules, validate } from 'graphql';

import { operationSpecs } from './contract/catalogue';
import { limitOf, maxDepthRule, noIntrospectionRule, operationComplexity } from './limits';
import { buildSchema } from './schema.builder';

const schema: GraphQLSchema = buildSchema([...operationSpecs().values()], async () => ({}));

function errors(query: string, max = 3): string[] {
  return validate(schema, parse(query), [...specifiedRules, noIntrospectionRule, maxDepthRule(max)]).map((error) => error.message);
}

function complexity(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  return operationComplexity(schema, document, getOperationAST(document)!, variables);
}

describe('maxDepthRule', () => {
  it('counts field levels, not fragments, as graphql-php does', () => {
    expect(errors('{ databasesListCollections(databaseId: "d") { collections { _id } } }')).toEqual([]);
    expect(errors('{ databasesListCollections(databaseId: "d") { collections { attributes { ... on AttributeString { key } } } } }')).toEqual(['Max query depth should be 3 but got 4.']);
    expect(errors('fragment C on Collection { attributes { ... on AttributeString { key } } } { databasesListCollections(databaseId: "d") { collections { ...C } } }')).toEqual([
      'Max query depth should be 3 but got 4.',
    ]);
    expect(errors('{ databasesListCollections(databaseId: "d") { collections { attributes { ... on AttributeString { key } } } } }', 4)).toEqual([]);
  });
});

describe('noIntrospectionRule', () => {
  it('refuses __schema and __type but not __typename', () => {
    expect(errors('{ __schema { types { name } } }')).toEqual(['GraphQL introspection is not allowed, but the query contained __schema or __type']);
    expect(errors('{ __type(name: "Query") { name } }')).toEqual(['GraphQL introspection is not allowed, but the query contained __schema or __type']);
    expect(errors('{ localeGet { __typename ip } }')).toEqual([]);
  });
});

describe('operationComplexity', () => {
  it('costs one per field plus children', () => {
    expect(complexity('{ localeGet { ip country } }')).toBe(3);
    expect(complexity('{ a: localeGet { ip } b: localeGet { ip } }')).toBe(4);
  });

  it('multiplies a list field by the page size of its queries (25 by default), literal or variable', () => {
    expect(complexity('{ usersList { total users { _id } } }')).toBe(75);
    expect(complexity('{ usersList(queries: ["limit(100)"]) { total users { _id } } }')).toBe(300);
    expect(complexity('query($q: [String]) { usersList(queries: $q) { total users { _id } } }', { q: ['offset(5)', 'limit(2)'] })).toBe(6);
  });

  it('follows fragments and skips @skip/@include branches', () => {
    expect(complexity('fragment U on UserList { total users { _id name } } { usersList(queries: ["limit(10)"]) { ...U } }')).toBe(40);
    expect(complexity('query($x: Boolean!) { localeGet { ip } usersList @include(if: $x) { total } }', { x: false })).toBe(2);
    expect(complexity('{ localeGet { ip country @skip(if: true) } }')).toBe(2);
  });
});

describe('limitOf', () => {
  it('reads the first limit() of 1.3 query strings', () => {
    expect(limitOf(['equal("a", "b")', 'limit(7)', 'limit(9)'])).toBe(7);
    expect(limitOf([])).toBe(25);
    expect(limitOf([5, 'limit(x)'])).toBe(25);
  });
});
