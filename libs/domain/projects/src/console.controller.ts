import { Controller, Get } from '@nestjs/common';
import { Ctx, RequestContext, Route } from '@appconda/core';

import { READ } from './projects.routes';
import { UsageService } from './usage.service';

/** /v1/console: settings the console reads from the server's configuration. */
@Controller('console')
export class ConsoleController {
  constructor(private readonly usage: UsageService) {}

  @Get('variables')
  @Route(READ)
  variables(@Ctx() ctx: RequestContext) {
    return this.usage.variables(ctx);
  }
}
