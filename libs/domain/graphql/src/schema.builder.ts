import {
  GraphQLBoolean,
  GraphQLFieldConfig,
  GraphQLFieldConfigMap,
  GraphQLFloat,
  GraphQLInputType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  GraphQLUnionType,
} from 'graphql';

import { ArgSpec, ArgType, ModelSpec, modelSpecs, OperationSpec, TypeRef } from './contract/catalogue';
import { UNIONS } from './contract/models';
import { AssocScalar, InputFileScalar, JsonScalar } from './scalars';

/** Runs the route behind a field with the field's arguments; answers the route's model as the route built it. */
export type FieldResolver<C> = (operation: OperationSpec, args: Record<string, unknown>, context: C) => Promise<unknown>;

/** Field extension marking list fields (those taking `queries`): their complexity is multiplied by the page size. */
export const LIST_FIELD = 'appcondaListField';

const SCALAR_TYPES: Readonly<Record<string, GraphQLScalarType>> = { String: GraphQLString, Int: GraphQLInt, Float: GraphQLFloat, Boolean: GraphQLBoolean };
const ARG_TYPES: Readonly<Record<ArgType, GraphQLInputType>> = {
  String: GraphQLString,
  Int: GraphQLInt,
  Float: GraphQLFloat,
  Boolean: GraphQLBoolean,
  '[String]': new GraphQLList(GraphQLString),
  Json: JsonScalar,
  Assoc: AssocScalar,
  InputFile: InputFileScalar,
};

/** `$id` → `_id`: GraphQL names cannot hold `$`. */
export function graphqlKey(key: string): string {
  return key.replace(/\$/g, '_');
}

export function typeName(model: string): string {
  return model.charAt(0).toUpperCase() + model.slice(1);
}

/**
 * Builds the schema of every served operation: GET routes under Query, the others under Mutation,
 * fields sorted by name, each resolved by running its route.
 */
export function buildSchema<C>(operations: readonly OperationSpec[], resolve: FieldResolver<C>): GraphQLSchema {
  const types = new OutputTypes(modelSpecs());
  const query: GraphQLFieldConfigMap<unknown, C> = {};
  const mutation: GraphQLFieldConfigMap<unknown, C> = {};
  for (const operation of [...operations].sort((a, b) => a.field.localeCompare(b.field))) {
    const field: GraphQLFieldConfig<unknown, C> = {
      type: types.model(operation.model),
      args: Object.fromEntries(operation.args.map((arg) => [arg.name, { type: argType(arg) }])),
      resolve: (_source, args: Record<string, unknown>, context: C) => resolve(operation, args, context),
      extensions: { [LIST_FIELD]: operation.args.some((arg) => arg.name === 'queries') },
    };
    (operation.method === 'GET' ? query : mutation)[operation.field] = field;
  }
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: query }),
    mutation: Object.keys(mutation).length ? new GraphQLObjectType({ name: 'Mutation', fields: mutation }) : undefined,
  });
}

function argType(arg: ArgSpec): GraphQLInputType {
  const type = ARG_TYPES[arg.type];
  return arg.required ? new GraphQLNonNull(type) : type;
}

/** The object and union types of the response models, made once each and on first use. */
class OutputTypes {
  private readonly objects = new Map<string, GraphQLObjectType>();
  private readonly unions = new Map<string, GraphQLUnionType>();

  constructor(private readonly models: Map<string, ModelSpec>) {}

  model(name: string): GraphQLObjectType {
    let type = this.objects.get(name);
    if (type) return type;
    const spec = this.models.get(name);
    if (!spec) throw new Error(`unknown response model ${name}`);
    type = new GraphQLObjectType({ name: typeName(name), fields: () => this.fields(spec) });
    this.objects.set(name, type);
    return type;
  }

  private fields(spec: ModelSpec): GraphQLFieldConfigMap<Record<string, unknown>, unknown> {
    const fields: GraphQLFieldConfigMap<Record<string, unknown>, unknown> = {};
    // A free-form model's own keys (document attributes, preferences) as one JSON text.
    if (spec.freeForm) fields.data = { type: GraphQLString, resolve: (source) => freeFormData(source) };
    // GraphQL needs a field on every type: keyless models (deletes, images) answer `status: "OK"`.
    if (!spec.freeForm && !spec.fields.length) fields.status = { type: GraphQLString, resolve: () => 'OK' };
    for (const field of spec.fields) {
      const name = graphqlKey(field.key);
      // `_id` reads `$id`: keys are mapped where a field is resolved, at every depth and only for what the query selects.
      fields[name] = name === field.key ? { type: this.reference(field.type) } : { type: this.reference(field.type), resolve: (source) => source[field.key] };
    }
    return fields;
  }

  private reference(ref: TypeRef): GraphQLOutputType {
    const named = SCALAR_TYPES[ref.name] ?? (ref.name in UNIONS ? this.union(ref.name) : this.model(ref.name));
    return ref.list ? new GraphQLList(named) : named;
  }

  private union(name: string): GraphQLUnionType {
    let type = this.unions.get(name);
    if (type) return type;
    const definition = UNIONS[name];
    type = new GraphQLUnionType({
      name,
      types: () => definition.members.map((member) => this.model(member)),
      resolveType: (value: Record<string, unknown>) => {
        const member = definition.memberOf(value);
        return member ? typeName(member) : undefined;
      },
    });
    this.unions.set(name, type);
    return type;
  }
}

/**
 * The keys of a free-form answer that are not system keys (`$id`, `$permissions`…), as JSON text, with
 * `$` keys of nested values (related documents) spelled `_` like every other GraphQL key.
 */
export function freeFormData(source: Record<string, unknown>): string {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (!key.startsWith('$')) data[key] = renameKeys(value);
  return JSON.stringify(data);
}

/** Renames `$` keys to `_` at every depth (1.3 stopped at depth 3 and answered null below). */
export function renameKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const renamed: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) renamed[key.includes('$') ? graphqlKey(key) : key] = renameKeys(item);
  return renamed;
}
