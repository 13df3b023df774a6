import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { buildEvents, QueueName } from '@appconda/contracts';
import { eventParams, eventPayload, RequestContext, ROUTE_DECLARATION, RouteDeclaration, serviceLogger, USAGE_RECORDER, UsageRecorder } from '@appconda/core';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { EventBus } from '@appconda/transport';
import { randomUUID } from 'node:crypto';
import { Observable, tap } from 'rxjs';

import { Identity } from './identity';

const logger = serviceLogger('api');
const PLACEHOLDER = /\[([a-zA-Z0-9]+)\]/g;

interface RouteRequest {
  ctx?: RequestContext;
  params?: Record<string, unknown>;
  body?: unknown;
  query?: unknown;
}

/**
 * After a route succeeds, does what its declaration promises: expands its event templates and
 * publishes them on the event bus, and enqueues its audit entry. Handlers never do either themselves.
 */
@Injectable()
export class RouteEffectsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly events: EventBus,
    @InjectJobQueue(QueueName.Audits) private readonly audits: JobQueue<QueueName.Audits>,
    @Optional() @Inject(USAGE_RECORDER) private readonly usage?: UsageRecorder,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const declaration = context.getType() === 'http' ? this.reflector.get<RouteDeclaration | undefined>(ROUTE_DECLARATION, context.getHandler()) : undefined;
    if (!declaration?.events?.length && !declaration?.audit && !declaration?.usage) return next.handle();
    const request = context.switchToHttp().getRequest<RouteRequest>();
    return next.handle().pipe(
      tap((response) => {
        const ctx = request.ctx;
        if (!ctx) return;
        try {
          this.emit(declaration, request, ctx, response);
        } catch (error) {
          logger.error({ err: error, requestId: ctx.requestId }, 'route effects failed');
        }
      }),
    );
  }

  private emit(declaration: RouteDeclaration, request: RouteRequest, ctx: RequestContext, answer: unknown): void {
    const explicit = eventPayload(ctx);
    const response = explicit !== undefined ? explicit : answer;
    const model = isRecord(response) ? response : {};
    const time = new Date().toISOString();
    if (declaration.events?.length) {
      const names = declaration.events.flatMap((template) => expand(template, request, ctx, model));
      if (names.length) this.events.publish({ id: randomUUID(), projectId: ctx.projectId, events: [...new Set(names)], payload: response ?? {}, userId: ctx.userId, time });
    }
    if (declaration.usage && this.usage) {
      const labels: Record<string, string> = {};
      for (const [name, template] of Object.entries(declaration.usage.labels ?? {})) labels[name] = fillResource(template, request, model, ctx);
      this.usage.metric(ctx.projectId, declaration.usage.metric, labels);
    }
    if (declaration.audit) {
      const identity = ctx.extras.identity as Identity | undefined;
      void this.audits
        .add({
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
        })
        .catch((error: unknown) => logger.error({ err: error, requestId: ctx.requestId, event: declaration.audit?.event }, 'audit enqueue failed'));
    }
  }
}

/** Fills `[name]` placeholders: explicit event params, then route params, then the response (its `$id` for the last one). */
export function expand(template: string, request: RouteRequest, ctx: RequestContext, response: Record<string, unknown>): string[] {
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
  const explicit = eventParams(ctx);
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    const value =
      explicit[name] ??
      asString(request.params?.[name]) ??
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

/** The user an audit entry names: the caller, else the user the route acted for (event param or response `userId`). */
function actingUser(ctx: RequestContext, response: Record<string, unknown>): string {
  return ctx.userId ?? eventParams(ctx).userId ?? asString(response.userId) ?? '';
}

/**
 * Fills an audit resource template: `{response.x}` (the answer or event payload), `{request.x}`
 * (route, body or query params, then event params) and `{user.$id}` (the acting user).
 */
export function fillResource(template: string, request: RouteRequest, response: Record<string, unknown>, ctx: RequestContext): string {
  const input = { ...asRecord(request.query), ...asRecord(request.body), ...asRecord(request.params) };
  const params = eventParams(ctx);
  return template.replace(/\{(response|request|user)\.([^}]+)\}/g, (_all, source: string, key: string) => {
    if (source === 'user') return actingUser(ctx, response);
    if (source === 'response') return asString(response[key]) ?? asString(params[key.replace(/^\$id$/, '')]) ?? '';
    return asString(input[key]) ?? asString(params[key]) ?? '';
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
