import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import { formPostCallbackPlugin } from './form-post-callback';
import { OAuth2Controller } from './oauth2.controller';
import { OAuth2Module } from './oauth2.module';

/** The OAuth2 routes of the Account service: `/v1/account/sessions/oauth2/*`. */
@Module({ imports: [OAuth2Module], controllers: [OAuth2Controller] })
export class OAuth2ApiModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Adds the form_post callback (a plain Fastify route, see form-post-callback.ts) before the server starts. */
  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (typeof instance?.register === 'function') void instance.register(formPostCallbackPlugin);
  }
}
