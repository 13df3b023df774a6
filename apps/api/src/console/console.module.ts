import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import { registerConsole } from './console-static';

/** Mounts the web console (apps/console's build) on the API's HTTP server, beside `/v1`. */
@Injectable()
class ConsoleRoutes implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!instance?.register) return;
    void instance.register((app) => registerConsole(app));
  }
}

@Module({ providers: [ConsoleRoutes] })
export class ConsoleModule {}
