import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import { RequestContext, RequestLike } from './request-context';

/**
 * Appwrite's date format: ISO 8601 with milliseconds and an explicit `+00:00` offset
 * (`2023-07-18T22:21:58.123+00:00`). Null/undefined stay empty strings as 1.3 models default them.
 */
export function toApiDate(value: Date | string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return date.toISOString().replace('Z', '+00:00');
}

/** The request's resolved context in a handler: `handler(@Ctx() ctx: RequestContext)`. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<RequestLike>();
  if (!request.ctx) throw new Error('request context missing: the route has no @Route declaration');
  return request.ctx;
});

/** Sets a value for an event template placeholder (`users.[userId].create`) during the request. */
export function setEventParam(ctx: RequestContext, name: string, value: string): void {
  const params = (ctx.extras.eventParams ??= {}) as Record<string, string>;
  params[name] = value;
}

/** Event placeholder values set during the request. */
export function eventParams(ctx: RequestContext): Record<string, string> {
  return (ctx.extras.eventParams as Record<string, string> | undefined) ?? {};
}

/**
 * The model an event carries when it is not the route's answer: deletes answer 204 with no body but
 * Appwrite's events carry the deleted resource; redirects answer a URL but their events carry the session.
 */
export function setEventPayload(ctx: RequestContext, payload: unknown): void {
  ctx.extras.eventPayload = payload;
}

export function eventPayload(ctx: RequestContext): unknown {
  return ctx.extras.eventPayload;
}

/**
 * Roles that may read the resource the request's event is about, for realtime's filtering: set by the
 * routes whose readers are not implied by the event name (documents, files).
 */
export function setEventReadRoles(ctx: RequestContext, roles: readonly string[]): void {
  ctx.extras.eventReadRoles = roles;
}

export function eventReadRoles(ctx: RequestContext): string[] | undefined {
  const roles = ctx.extras.eventReadRoles as readonly string[] | undefined;
  return roles ? [...roles] : undefined;
}
