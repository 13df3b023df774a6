import { Module, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { APP_GUARD, APP_PIPE, DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';

import { ROUTE_DECLARATION } from './route';
import { RouteGuard } from './route.guard';
import { StartupError } from './shutdown';
import { AppValidationPipe } from './validation';

/**
 * HTTP pipeline wiring for apps that serve routes: the global RouteGuard and validation pipe, and a startup check that
 * refuses to boot when any route handler lacks its @Route declaration.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: APP_GUARD, useClass: RouteGuard },
    { provide: APP_PIPE, useClass: AppValidationPipe },
  ],
})
export class HttpPipelineModule implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const isRoute = this.reflector.get(PATH_METADATA, handler) !== undefined && this.reflector.get<RequestMethod>(METHOD_METADATA, handler) !== undefined;
        if (isRoute && !this.reflector.get(ROUTE_DECLARATION, handler)) undeclared.push(`${wrapper.name}.${name}`);
      }
    }
    if (undeclared.length) throw new StartupError(`routes without a @Route declaration: ${undeclared.join(', ')}`);
  }
}
