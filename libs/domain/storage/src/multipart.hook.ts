import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import multipart from '@fastify/multipart';

/** Marks a Fastify instance that already has the multipart plugin (functions deployments reuse it). */
export const MULTIPART_REGISTERED = Symbol.for('appconda.multipart');

/**
 * Registers @fastify/multipart on the API's Fastify instance. Nothing is buffered: handlers read
 * the parts as streams (`request.parts()`) with per-route limits, so the JSON body limit does not
 * apply to uploads. A GET or DELETE carrying a multipart content type (node-appwrite resuming an
 * upload) has no body to parse and passes untouched.
 */
@Injectable()
export class MultipartHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.() as (Record<symbol, unknown> & { register(plugin: unknown, options: unknown): unknown }) | undefined;
    if (!instance?.register || instance[MULTIPART_REGISTERED]) return;
    instance[MULTIPART_REGISTERED] = true;
    instance.register(multipart, { limits: { fieldSize: 1024 * 1024, fields: 200, files: 1, parts: 220 } });
  }
}
