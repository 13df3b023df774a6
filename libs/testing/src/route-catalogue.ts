import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ROUTE_DECLARATION, RouteDeclaration } from '@appconda/core';
import { getMetadataStorage } from 'class-validator';

/** The JSON type a DTO field expects, read from its TypeScript design type. */
export type FieldType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'unknown';

/** One field of a body, query or path DTO as class-validator and the design types describe it. */
export interface CatalogueField {
  name: string;
  type: FieldType;
  /** `@IsOptional()` or a `@ValidateIf()` guard. */
  optional: boolean;
  /** Validator names on the field (`isString`, `maxLength`, `isUid`, custom rule names…). */
  rules: string[];
  /** Largest length from `@MaxLength()`/`@Length()`, when declared. */
  maxLength?: number;
  /** Allowed values from `@IsIn()`/`@IsEnum()`, when declared. */
  values?: unknown[];
  /** Validated element by element (`{ each: true }`). */
  each: boolean;
  /** Class of a nested DTO (`@ValidateNested()` + `@Type()`), by name. */
  nested?: string;
}

export interface CatalogueDto {
  /** The DTO class name. */
  name: string;
  fields: CatalogueField[];
}

/** One HTTP route of an app, from Nest's controller metadata and the route's `@Route` declaration. */
export interface CatalogueRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ALL';
  /** Full path with the `/v1` prefix and Nest's `:param` placeholders, e.g. `/v1/teams/:teamId`. */
  path: string;
  /** Path parameter names in order of appearance. */
  pathParams: string[];
  controller: string;
  handler: string;
  /** Auth kinds, scope, rate limit, events… (undefined for a route without `@Route`). */
  route?: RouteDeclaration;
  body?: CatalogueDto;
  query?: CatalogueDto;
  params?: CatalogueDto;
  /** Headers the handler reads (`@Headers('x-appwrite-timestamp')`…). */
  headers: string[];
  /** The handler takes the raw request (multipart uploads, redirects) or reply (downloads, images). */
  raw: { request: boolean; reply: boolean };
  /** Number of custom param decorators (`@Ctx()`, `@QueriesParam()`, `@ListQuery()`…). */
  customArgs: number;
}

const METHODS: Record<number, CatalogueRoute['method']> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
  [RequestMethod.HEAD]: 'HEAD',
  [RequestMethod.OPTIONS]: 'OPTIONS',
  [RequestMethod.ALL]: 'ALL',
};

type ModuleRef = Type | { module: Type; controllers?: Type[]; imports?: unknown[] } | { forwardRef: () => unknown } | Promise<unknown>;

/**
 * Every route the given root module serves (its controllers and those of every module it imports,
 * transitively), sorted by path then method. Reads metadata only: nothing is instantiated, so a
 * catalogue of the whole API costs no database or Redis. `prefix` is the app's global prefix.
 *
 * `routeCatalogue(ApiModule)` is what the fuzzing suite and the permission matrix iterate over.
 */
export function routeCatalogue(root: Type | ModuleRef[], prefix = 'v1'): CatalogueRoute[] {
  const controllers = new Set<Type>();
  const seen = new Set<unknown>();
  const visit = (ref: unknown): void => {
    if (!ref || seen.has(ref) || ref instanceof Promise) return;
    seen.add(ref);
    if (typeof ref === 'object' && 'forwardRef' in ref) return visit((ref as { forwardRef: () => unknown }).forwardRef());
    if (typeof ref === 'object' && 'module' in ref) {
      const dynamic = ref as { module: Type; controllers?: Type[]; imports?: unknown[] };
      for (const controller of dynamic.controllers ?? []) controllers.add(controller);
      for (const imported of dynamic.imports ?? []) visit(imported);
      return visit(dynamic.module);
    }
    if (typeof ref !== 'function') return;
    for (const controller of (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, ref) ?? []) as Type[]) controllers.add(controller);
    for (const imported of (Reflect.getMetadata(MODULE_METADATA.IMPORTS, ref) ?? []) as unknown[]) visit(imported);
  };
  for (const ref of Array.isArray(root) ? root : [root]) visit(ref);

  const routes = [...controllers].flatMap((controller) => controllerRoutes(controller, prefix));
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function controllerRoutes(controller: Type, prefix: string): CatalogueRoute[] {
  const routes: CatalogueRoute[] = [];
  const base = asPaths(Reflect.getMetadata(PATH_METADATA, controller));
  const prototype = controller.prototype as Record<string, unknown>;
  for (const handler of Object.getOwnPropertyNames(prototype)) {
    const fn = prototype[handler];
    if (handler === 'constructor' || typeof fn !== 'function') continue;
    const method = Reflect.getMetadata(METHOD_METADATA, fn) as number | undefined;
    if (method === undefined) continue;
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, { index: number; data?: unknown }>;
    const paramTypes = (Reflect.getMetadata('design:paramtypes', prototype, handler) ?? []) as unknown[];
    const described = describeArgs(args, paramTypes);
    for (const controllerPath of base) {
      for (const methodPath of asPaths(Reflect.getMetadata(PATH_METADATA, fn))) {
        const path = '/' + [prefix, controllerPath, methodPath].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
        routes.push({
          method: METHODS[method] ?? 'ALL',
          path,
          pathParams: [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]),
          controller: controller.name,
          handler,
          route: Reflect.getMetadata(ROUTE_DECLARATION, fn) as RouteDeclaration | undefined,
          ...described,
        });
      }
    }
  }
  return routes;
}

function asPaths(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value && typeof value === 'object' && 'path' in value) return asPaths((value as { path?: unknown }).path);
  return [typeof value === 'string' ? value : ''];
}

function describeArgs(args: Record<string, { index: number; data?: unknown }>, paramTypes: unknown[]) {
  const result: Pick<CatalogueRoute, 'body' | 'query' | 'params' | 'headers' | 'raw' | 'customArgs'> = { headers: [], raw: { request: false, reply: false }, customArgs: 0 };
  for (const [key, arg] of Object.entries(args)) {
    if (key.includes('__customRouteArgs__')) {
      result.customArgs++;
      continue;
    }
    const kind = Number(key.split(':')[0]);
    const type = paramTypes[arg.index];
    const dto = typeof type === 'function' && !isPrimitive(type) && arg.data === undefined ? describeDto(type as Type) : undefined;
    if (kind === RouteParamtypes.BODY && dto) result.body = dto;
    else if (kind === RouteParamtypes.QUERY && dto) result.query = dto;
    else if (kind === RouteParamtypes.PARAM && dto) result.params = dto;
    else if (kind === RouteParamtypes.HEADERS && typeof arg.data === 'string') result.headers.push(arg.data.toLowerCase());
    else if (kind === RouteParamtypes.REQUEST) result.raw.request = true;
    else if (kind === RouteParamtypes.RESPONSE) result.raw.reply = true;
  }
  return result;
}

function isPrimitive(type: unknown): boolean {
  return type === String || type === Number || type === Boolean || type === Array || type === Object;
}

/** A DTO's fields from class-validator's metadata (inherited rules included) and the design types. */
export function describeDto(dto: Type): CatalogueDto {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', true, false);
  const byField = new Map<string, CatalogueField>();
  for (const metadata of metadatas) {
    const name = metadata.propertyName;
    const field = byField.get(name) ?? { name, type: designType(dto, name), optional: false, rules: [], each: false };
    byField.set(name, field);
    if (metadata.type === 'conditionalValidation') field.optional = true;
    if (metadata.type === 'nestedValidation') {
      field.rules.push('nested');
      continue;
    }
    if (metadata.each) field.each = true;
    const rule = metadata.name ?? (metadata.constraintCls ? (storage.getTargetValidatorConstraints(metadata.constraintCls)[0]?.name ?? metadata.constraintCls.name) : metadata.type);
    if (rule === 'isOptional' || metadata.type === 'isOptional') field.optional = true;
    if (rule && !field.rules.includes(rule)) field.rules.push(rule);
    const constraints = (metadata.constraints ?? []) as unknown[];
    if (rule === 'maxLength' && typeof constraints[0] === 'number') field.maxLength = constraints[0];
    if (rule === 'isLength' && typeof constraints[1] === 'number') field.maxLength = constraints[1];
    if (rule === 'isIn' && Array.isArray(constraints[0])) field.values = constraints[0] as unknown[];
    if (rule === 'isEnum' && constraints[0] && typeof constraints[0] === 'object') field.values = Object.values(constraints[0] as object);
  }
  for (const field of byField.values()) {
    const nested = Reflect.getMetadata('design:type', dto.prototype, field.name);
    if (field.rules.includes('nested') && typeof nested === 'function' && !isPrimitive(nested)) field.nested = (nested as Type).name;
  }
  return { name: dto.name, fields: [...byField.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

function designType(dto: Type, property: string): FieldType {
  const type = Reflect.getMetadata('design:type', dto.prototype, property);
  if (type === String) return 'string';
  if (type === Number) return 'number';
  if (type === Boolean) return 'boolean';
  if (type === Array) return 'array';
  if (type === Object || (typeof type === 'function' && !isPrimitive(type))) return 'object';
  return 'unknown';
}

/** A concrete path for a route: each `:param` replaced by `values[param]` (URI-encoded) or `fallback`. */
export function routePath(route: Pick<CatalogueRoute, 'path'>, values: Record<string, string> = {}, fallback = 'unknown'): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => encodeURIComponent(values[name] ?? fallback));
}
