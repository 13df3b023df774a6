import { Module } from '@nestjs/common';

import { IdentityResolverService } from './identity.resolver';
import { ProjectContextService } from './project-context.service';

/**
 * Project and caller resolution alone, without the HTTP pipeline around it: for services that
 * authenticate like REST outside a route (realtime's WebSocket handshake). Needs DatabaseModule.
 */
@Module({
  providers: [ProjectContextService, IdentityResolverService],
  exports: [ProjectContextService, IdentityResolverService],
})
export class IdentityResolutionModule {}
