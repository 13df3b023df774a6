import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { buildEvents } from '@appconda/contracts';
import { eventParams, eventPayload, eventReadRoles, RequestContext, RouteDeclaration, serviceLogger, USAGE_RECORDER, UsageRecorder } from '@appconda/core';
import { EventBus } from '@appconda/transport';
import { randomUUID } from 'node:crypto';

import { AuditTrail } from './audit-trail';
import { Identity } from './identity';

const logger = serviceLogger('api');
const PLACEHOLDER = /\[([a-zA-Z0-9]+)\]/g;
/** Where the preSerialization hook keeps a route's answer for the onSend hook. */
const ANSWER = Symbol('answer');

interface RouteRequest {
  ctx?: RequestContext;
  declaration?: RouteDeclaration;
  params?: unknown;
  body?: unknown;
  query?: unknown;
  [ANSWER]?: unknown;
}

type Done = (error?: Error | null, value?: unknown) => void;

/**
 * After a route succeeds, does what its declaration promises: expands its event templates and
 * publishes them on the event bus, enqueues its audit entry and reports its usage metric. Handlers
 * never do either themselves.
 *
 * These are Fastify hooks rather than a Nest interceptor: a global interceptor puts every request of
 * every route through rxjs and AsyncResource.bind, which cost more than all of this work (profiled).
 * RouteGuard leaves the declaration on the request; preSerialization keeps the answer; onSend runs the
 * effects once the status is known (failed requests, >= 400, have none) and before the answer is written.
 */
@Injectable()
export class RouteEffectsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly events: EventBus,
    private readonly audits: AuditTrail,
    @Optional() @Inject(USAGE_RECORDER) private readonly usage?: UsageRecorder,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.();
    if (!instance?.addHook) return;
    instance.addHook('preSerialization', (request: RouteRequest, _reply: unknown, payload: unknown, done: Done) => {
      if (hasEffects(request.declaration)) request[ANSWER] = payload;
      done(null, payload);
    });
    instance.addHook('onSend', (request: RouteRequest, reply: { statusCode: number }, payload: unknown, done: Done) => {
      const declaration = request.declaration;
      const ctx = request.ctx;
      if (ctx && hasEffects(declaration) && reply.statusCode < 400) {
        try {
          this.emit(declaration, request, ctx, request[ANSWER]);
        } catch (error) {
          logger.error({ err: error, requestId: ctx.requestId }, 'route effects failed');
        }
      }
      done(null, payload);
    });
  }

  private emit(declaration: RouteDeclaration, request: RouteRequest, ctx: RequestContext, answer: unknown): void {
    const explicit = eventPayload(ctx);
    const response = explicit !== undefined ? explicit : answer;
    const model = isRecord(response) ? response : {};
    const time = new Date().toISOString();
    if (declaration.events?.length) {
      const names = declaration.events.length === 1 ? expand(declaration.events[0], request, ctx, model) : [...new Set(declaration.events.flatMap((template) => expand(template, request, ctx, model)))];
      if (names.length) this.events.publish({ id: randomUUID(), projectId: ctx.projectId, events: names, payload: response ?? {}, userId: ctx.userId, time, readRoles: eventReadRoles(ctx) });
    }
    if (declaration.usage && this.usage) {
      const labels: Record<string, string> = {};
      for (const [name, template] of Object.entries(declaration.usage.labels ?? {})) labels[name] = fillResource(template, request, model, ctx);
      this.usage.metric(ctx.projectId, declaration.usage.metric, labels);
    }
    if (declaration.audit) {
      const identity = ctx.extras.identity as Identity | undefined;
      this.audits.record({
        projectId: ctx.projectId,
        event: declaration.audit.event,
        resource: fillResource(declaration.audit.resource, request, model, ctx),
        // Guest routes that sign a user in (sessions, verification) audit that user, as Appwrite does.
        userId: actingUser(ctx, model),
        userName: identity?.user?.name,
        userEmail: identity?.user?.email ?? undefined,
        mode: identity?.mode === 'admin' ? 'admin' : 'default',
        data: model,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        time,
      });
    }
  }
}

function hasEffects(declaration: RouteDeclaration | undefined): declaration is RouteDeclaration {
  return declaration !== undefined && (declaration.events !== undefined || declaration.audit !== undefined || declaration.usage !== undefined);
}

/** Fills `[name]` placeholders: explicit event params, then route params, then the response (its `$id` for the last one). */
export function expand(template: string, request: RouteRequest, ctx: RequestContext, response: Record<string, unknown>): string[] {
  const names = placeholders(template);
  const explicit = eventParams(ctx);
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    const value =
      explicit[name] ??
      asString(asRecord(request.params)[name]) ??
      asString(response[name]) ??
      (index === names.length - 1 ? asString(response.$id) : undefined) ??
      (name === 'userId' ? ctx.userId : undefined);
    if (value !== undefined) params[name] = value;
  });
  if (names.some((name) => params[name] === undefined)) {
    logger.warn({ template, requestId: ctx.requestId }, 'event skipped: a placeholder has no value');
    return [];
  }
  return buildEvents(template, params);
}

const PLACEHOLDERS = new Map<string, string[]>();

/** A template's `[name]` placeholders, in order; routes declare few templates, so each is parsed once. */
function placeholders(template: string): string[] {
  let names = PLACEHOLDERS.get(template);
  if (!names) {
    names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
    PLACEHOLDERS.set(template, names);
  }
  return names;
}

/** The user an audit entry names: the caller, else the user the route acted for (event param or response `userId`). */
function actingUser(ctx: RequestContext, response: Record<string, unknown>): string {
  return ctx.userId ?? eventParams(ctx).userId ?? asString(response.userId) ?? '';
}

/**
 * Fills an audit resource template: `{response.x}` (the answer or event payload), `{request.x}`
 * (route, body or query params, then event params) and `{user.$id}` (the acting user).
 */
export function fillResource(template: string, request: RouteRequest, response: Record<string, unknown>, ctx: RequestContext): string {
  const params = eventParams(ctx);
  return template.replace(/\{(response|request|user)\.([^}]+)\}/g, (_all, source: string, key: string) => {
    if (source === 'user') return actingUser(ctx, response);
    if (source === 'response') return asString(response[key]) ?? asString(params[key.replace(/^\$id$/, '')]) ?? '';
    // Route params win over body params, which win over query params.
    return asString(asRecord(request.params)[key]) ?? asString(asRecord(request.body)[key]) ?? asString(asRecord(request.query)[key]) ?? asString(params[key]) ?? '';
  });
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
