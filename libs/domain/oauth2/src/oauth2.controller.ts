import { Controller, Get, Param, Query, Redirect } from '@nestjs/common';
import { AuthType, Ctx, RequestContext, Route } from '@appconda/core';

import { unknownProvider } from './oauth2-client.factory';
import { OAuth2Web, Web } from './oauth2-web';
import { forwardUrl, OAuth2Service } from './oauth2.service';
import { OAUTH2_PROVIDER_NAMES } from './providers/registry';

type Params = Record<string, unknown>;

/** Appwrite 1.3 answers every OAuth2 redirect with 301 and forbids caching it. */
export function redirectTo(web: OAuth2Web, url: string): { url: string; statusCode: number } {
  web.header('cache-control', 'no-store, no-cache, must-revalidate, max-age=0');
  web.header('pragma', 'no-cache');
  return { url, statusCode: 301 };
}

export function string(value: unknown): string {
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}

/** `scopes`, `scopes[]` or `scopes[0]`… as the SDKs and browsers send them. */
export function arrayParam(query: Params, name: string): string[] {
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === name || key === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(key)) values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values.filter((value): value is string => typeof value === 'string' && value !== '');
}

export function knownProvider(provider: string): string {
  if (!OAUTH2_PROVIDER_NAMES.includes(provider)) throw unknownProvider();
  return provider;
}

/**
 * OAuth2 login routes of the Account service: start, provider callback, redirect (sets the session).
 * The form_post variant of the callback is a plain Fastify route (see form-post-callback.ts).
 */
@Controller('account/sessions/oauth2')
export class OAuth2Controller {
  constructor(private readonly oauth2: OAuth2Service) {}

  @Get('callback/:provider/:projectId')
  @Route({ auth: [AuthType.Guest], scope: 'public' })
  @Redirect('', 301)
  callback(@Web() web: OAuth2Web, @Param('provider') provider: string, @Param('projectId') projectId: string, @Query() query: Params) {
    return redirectTo(web, forwardUrl(web, knownProvider(provider), projectId, string(query.code), string(query.state)));
  }

  @Get(':provider/redirect')
  @Route({
    auth: [AuthType.Guest],
    scope: 'public',
    rateLimit: { limit: 50, window: 3600, key: 'ip:{ip}' },
    events: ['users.[userId].sessions.[sessionId].create'],
    usage: { metric: 'sessions.requests.create', labels: { provider: '{request.provider}' } },
  })
  @Redirect('', 301)
  async redirect(@Ctx() ctx: RequestContext, @Web() web: OAuth2Web, @Param('provider') provider: string, @Query() query: Params) {
    return redirectTo(web, await this.oauth2.redirect(ctx, web, knownProvider(provider), string(query.code), string(query.state)));
  }

  @Get(':provider')
  @Route({ auth: [AuthType.Guest], scope: 'public', rateLimit: { limit: 50, window: 3600, key: 'ip:{ip}' } })
  @Redirect('', 301)
  start(@Ctx() ctx: RequestContext, @Web() web: OAuth2Web, @Param('provider') provider: string, @Query() query: Params) {
    const input = { success: string(query.success), failure: string(query.failure), scopes: arrayParam(query, 'scopes') };
    return redirectTo(web, this.oauth2.start(ctx, web, knownProvider(provider), input));
  }
}
