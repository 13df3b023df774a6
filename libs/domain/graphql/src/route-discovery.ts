import { Injectable, RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ROUTE_DECLARATION, RouteDeclaration } from '@appconda/core';

import { operationKey, OperationSpec, operationSpecs } from './contract/catalogue';

/** A REST route the API serves: method, path under /v1 with `{param}` segments, and its declaration. */
export interface ServedRoute {
  method: string;
  path: string;
  declaration: RouteDeclaration;
}

/** `/databases/:databaseId/` → `/databases/{databaseId}`, from a controller path and a handler path. */
export function routePath(controllerPath: string, handlerPath: string): string {
  const joined = `/${controllerPath}/${handlerPath}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return joined.replace(/:(\w+)/g, '{$1}');
}

/**
 * The operations of the 1.3 contract the API actually serves: a route becomes a GraphQL field when
 * a controller declares it with @Route and the contract names its SDK method. Routes outside the SDK
 * (legacy aliases, OAuth2 callbacks, health/version) are left out as 1.3 leaves out routes without an
 * SDK method; GraphQL's own routes too.
 */
export function servedOperations(routes: readonly ServedRoute[]): OperationSpec[] {
  const contract = operationSpecs();
  const served: OperationSpec[] = [];
  for (const route of routes) {
    const operation = contract.get(operationKey(route.method, route.path));
    if (operation && route.declaration.scope !== 'graphql') served.push(operation);
  }
  return served;
}

/** Lists every route handler of the app's controllers that carries a @Route declaration. */
@Injectable()
export class RouteDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): ServedRoute[] {
    const routes: ServedRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const controllerPaths = asList(this.reflector.get<string | string[]>(PATH_METADATA, wrapper.metatype));
      const prototype = Object.getPrototypeOf(instance);
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const declaration = this.reflector.get<RouteDeclaration | undefined>(ROUTE_DECLARATION, handler);
        const method = this.reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
        const handlerPaths = this.reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
        if (!declaration || method === undefined || handlerPaths === undefined) continue;
        for (const controllerPath of controllerPaths)
          for (const handlerPath of asList(handlerPaths)) routes.push({ method: RequestMethod[method], path: routePath(controllerPath, handlerPath), declaration });
      }
    }
    return routes;
  }
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return ['/'];
  return Array.isArray(value) ? value : [value];
}
