import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';

/** A file part of a GraphQL multipart request, put where the request's `map` points. */
export class UploadedFile {
  constructor(
    readonly filename: string,
    readonly mimetype: string,
    readonly content: Buffer,
  ) {}
}

/** Any JSON value written inline in a query: objects, lists, strings, numbers, booleans, null, variables. */
function literal(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literal(field.value, variables)]));
    case Kind.LIST:
      return node.values.map((value) => literal(value, variables));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    default:
      return null;
  }
}

/** A JSON object given as an object or as its JSON text (1.3 clients write `prefs: "{\"a\":1}"`). */
function jsonObject(value: unknown, type: string): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new GraphQLError(`${type} cannot represent a non-JSON string: ${value.slice(0, 64)}`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new GraphQLError(`${type} must be a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** JSON text of an object or list becomes that value (1.3's JSON param validator decodes it too); anything else stays. */
function decodedJson(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** 1.3's `Json`: any JSON value (document `data`), as a value or as JSON text. */
export const JsonScalar = new GraphQLScalarType({
  name: 'Json',
  description: 'Any JSON value (ECMA-404), as a value or as its JSON text.',
  serialize: (value) => value,
  parseValue: decodedJson,
  parseLiteral: (node, variables) => decodedJson(literal(node, variables)),
});

/** 1.3's `Assoc`: a key-value object (preferences), accepted as an object or as JSON text; answered as JSON text. */
export const AssocScalar = new GraphQLScalarType({
  name: 'Assoc',
  description: 'A key-value object, as an object or as its JSON text.',
  serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parseValue: (value) => jsonObject(value, 'Assoc'),
  parseLiteral: (node, variables) => jsonObject(literal(node, variables), 'Assoc'),
});

/** 1.3's `InputFile`: a file part of a multipart request (graphql-multipart-request-spec); never written inline. */
export const InputFileScalar = new GraphQLScalarType({
  name: 'InputFile',
  description: 'A file sent in the same multipart request (graphql-multipart-request-spec).',
  serialize: () => '',
  parseValue: (value) => {
    if (value instanceof UploadedFile) return value;
    throw new GraphQLError('InputFile must be a file part of a multipart request (graphql-multipart-request-spec).');
  },
  parseLiteral: (node) => {
    throw new GraphQLError(`InputFile cannot be written in the query; send it as a multipart file part. Got: ${node.kind}`, { nodes: node });
  },
});
