import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { AuthType, Ctx, headerValue, RequestContext, Route, RouteDeclaration } from '@appconda/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { GraphqlResult, GraphqlService } from './graphql.service';
import { multipartPayload, MultipartPart, postPayload, queryStringPayload } from './request-body';
import { Caller } from './route-runner';

/** 1.3: scope `graphql` (every role holds it), 60 requests a minute per IP; answers are 200 even when fields fail. */
const GRAPHQL: RouteDeclaration = {
  auth: [AuthType.Guest, AuthType.Session, AuthType.Jwt, AuthType.Key, AuthType.Admin],
  scope: 'graphql',
  rateLimit: { limit: 60, window: 60 },
  status: 200,
};

type GraphqlRequest = FastifyRequest & { isMultipart?(): boolean; parts?(options?: unknown): AsyncIterable<MultipartPart> };
type Answer = Promise<GraphqlResult | GraphqlResult[]>;

/** /v1/graphql (GET and POST) and /v1/graphql/mutation: the same executor, as in 1.3. */
@Controller('graphql')
export class GraphqlController {
  constructor(private readonly service: GraphqlService) {}

  @Get()
  @Route(GRAPHQL)
  get(@Ctx() ctx: RequestContext, @Req() request: GraphqlRequest, @Res({ passthrough: true }) reply: FastifyReply): Answer {
    return this.service.execute(queryStringPayload(request.query), caller(ctx, request, reply), { queriesOnly: true });
  }

  @Post()
  @Route(GRAPHQL)
  async query(@Ctx() ctx: RequestContext, @Req() request: GraphqlRequest, @Res({ passthrough: true }) reply: FastifyReply): Answer {
    return this.service.execute(await this.payload(request), caller(ctx, request, reply));
  }

  @Post('mutation')
  @Route(GRAPHQL)
  async mutation(@Ctx() ctx: RequestContext, @Req() request: GraphqlRequest, @Res({ passthrough: true }) reply: FastifyReply): Answer {
    return this.service.execute(await this.payload(request), caller(ctx, request, reply));
  }

  private payload(request: GraphqlRequest): Promise<unknown> {
    if (request.isMultipart?.() && request.parts) return multipartPayload(request.parts({ limits: this.service.uploadLimits() }));
    return Promise.resolve(postPayload(request.body, headerValue(request, 'content-type') ?? '', headerValue(request, 'x-sdk-graphql') === 'true'));
  }
}

function caller(ctx: RequestContext, request: FastifyRequest, reply: FastifyReply): Caller {
  return {
    headers: request.headers,
    remoteAddress: request.socket?.remoteAddress ?? '127.0.0.1',
    projectId: ctx.projectId,
    forward: (name, value) => void reply.header(name, value),
  };
}
