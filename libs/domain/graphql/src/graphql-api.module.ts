import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MultipartHook } from '@appconda/storage';

import { GraphqlHttpHook } from './graphql-http.hook';
import { GraphqlController } from './graphql.controller';
import { GraphqlService } from './graphql.service';
import { RouteDiscovery } from './route-discovery';
import { RouteRunner } from './route-runner';

/** /v1/graphql: a schema generated from the API's own routes, each field running its route as the caller. */
@Module({
  imports: [DiscoveryModule],
  controllers: [GraphqlController],
  providers: [GraphqlHttpHook, GraphqlService, MultipartHook, RouteDiscovery, RouteRunner],
})
export class GraphqlApiModule {}
