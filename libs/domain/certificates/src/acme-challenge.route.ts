import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ErrorType } from '@appconda/contracts';
import { AppException, errorBody } from '@appconda/core';

import { ACME_TOKEN, AcmeChallenges } from './acme-challenges';

/** The path a CA fetches for HTTP-01 (RFC 8555 §8.3), outside `/v1`. */
export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/:token';

interface ChallengeReply {
  status(code: number): ChallengeReply;
  header(name: string, value: string): ChallengeReply;
  send(payload: string): unknown;
}

interface FastifyRoutes {
  get(path: string, handler: (request: { params: { token: string } }, reply: ChallengeReply) => Promise<unknown>): unknown;
}

/**
 * Appwrite 1.3's `GET /.well-known/acme-challenge/*`: answers a pending HTTP-01 challenge with its key
 * authorization as plain text, on any host and without a project. A plain Fastify route outside Nest's
 * `/v1` router, so neither project resolution nor the route guard runs for it: the CA sends no headers of
 * ours. A malformed token is 400 general_argument_invalid, an unknown one 404 general_route_not_found.
 */
@Injectable()
export class AcmeChallengeRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly challenges: AcmeChallenges,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.() as FastifyRoutes | undefined;
    if (!instance?.get) return;
    instance.get(ACME_CHALLENGE_PATH, async (request, reply) => {
      const token = request.params.token;
      if (!ACME_TOKEN.test(token)) return fail(reply, new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid challenge token.'));
      const keyAuthorization = await this.challenges.get(token);
      if (!keyAuthorization) return fail(reply, new AppException(ErrorType.GeneralRouteNotFound, 'Unknown path'));
      return reply.status(200).header('content-type', 'text/plain; charset=utf-8').send(keyAuthorization);
    });
  }
}

function fail(reply: ChallengeReply, exception: AppException): unknown {
  const body = errorBody(exception);
  return reply.status(body.code).header('content-type', 'application/json').send(JSON.stringify(body));
}
