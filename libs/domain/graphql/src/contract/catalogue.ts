import { MODELS, UNIONS } from './models';
import { OPERATIONS } from './operations';

/** A model key's type: a scalar, a model or union name, or a list of one of those. */
export interface TypeRef {
  name: string;
  list: boolean;
}

export interface ModelField {
  /** The key as the REST answer spells it (`$id`). */
  key: string;
  type: TypeRef;
}

export interface ModelSpec {
  name: string;
  /** Extra keys beyond `fields` travel in a `data` JSON field. */
  freeForm: boolean;
  fields: ModelField[];
}

export type ArgType = 'String' | 'Int' | 'Float' | 'Boolean' | '[String]' | 'Json' | 'Assoc' | 'InputFile';

export interface ArgSpec {
  name: string;
  type: ArgType;
  required: boolean;
  /** A `{name}` segment of the path rather than a query/body param. */
  inPath: boolean;
}

export interface OperationSpec {
  /** HTTP method, upper case. */
  method: string;
  /** Path under /v1 with `{param}` segments. */
  path: string;
  /** GraphQL field name: SDK namespace + method (`databasesListDocuments`). */
  field: string;
  model: string;
  args: ArgSpec[];
}

export const SCALARS: ReadonlySet<string> = new Set(['String', 'Int', 'Float', 'Boolean']);
const ARG_TYPES: ReadonlySet<string> = new Set<ArgType>(['String', 'Int', 'Float', 'Boolean', '[String]', 'Json', 'Assoc', 'InputFile']);

/** `METHOD /path` of an operation or a served route. */
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
}

export function parseTypeRef(text: string): TypeRef {
  const list = text.startsWith('[') && text.endsWith(']');
  return { name: list ? text.slice(1, -1) : text, list };
}

export function parseModel(name: string, spec: string): ModelSpec {
  const tokens = spec.split(' ').filter(Boolean);
  const freeForm = tokens[0] === '+';
  const fields = (freeForm ? tokens.slice(1) : tokens).map((token) => {
    const [key, type = 'String'] = token.split(':');
    return { key, type: parseTypeRef(type) };
  });
  return { name, freeForm, fields };
}

export function parseOperation(key: string, spec: string): OperationSpec {
  const [method, path] = key.split(' ');
  const [field, model, ...tokens] = spec.split(' ');
  const args: ArgSpec[] = pathParams(path).map((name) => ({ name, type: 'String', required: true, inPath: true }));
  for (const token of tokens) {
    const required = token.endsWith('!');
    const [name, type = 'String'] = (required ? token.slice(0, -1) : token).split(':');
    if (!ARG_TYPES.has(type)) throw new Error(`operation ${key}: unknown arg type ${type}`);
    args.push({ name, type: type as ArgType, required, inPath: false });
  }
  return { method, path, field, model, args };
}

/** Every model of the catalogue, parsed, by name. */
export function modelSpecs(): Map<string, ModelSpec> {
  return new Map(Object.entries(MODELS).map(([name, spec]) => [name, parseModel(name, spec)]));
}

/** Every operation of the catalogue, parsed, by `METHOD /path`. */
export function operationSpecs(): Map<string, OperationSpec> {
  return new Map(Object.entries(OPERATIONS).map(([key, spec]) => [key, parseOperation(key, spec)]));
}

/** Names a model, union or scalar type reference may use. */
export function isKnownType(name: string): boolean {
  return SCALARS.has(name) || name in MODELS || name in UNIONS;
}
