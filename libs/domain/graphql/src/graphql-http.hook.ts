import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

interface ParserHost {
  hasContentTypeParser(type: string): boolean;
  addContentTypeParser(type: string, options: { parseAs: 'string' }, parser: (request: unknown, body: string, done: (error: Error | null, body?: unknown) => void) => void): void;
}

/** Lets `/v1/graphql` read `application/graphql` bodies: the raw query text. */
@Injectable()
export class GraphqlHttpHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.() as ParserHost | undefined;
    if (!instance?.addContentTypeParser || instance.hasContentTypeParser('application/graphql')) return;
    instance.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }
}
