import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { knownProvider, redirectTo, string } from './oauth2.controller';
import { oauth2Web } from './oauth2-web';
import { forwardUrl } from './oauth2.service';

export const FORM_POST_CALLBACK_PATH = '/v1/account/sessions/oauth2/callback/:provider/:projectId';

/**
 * POST /v1/account/sessions/oauth2/callback/{provider}/{projectId}: providers answering with
 * `response_mode=form_post` (Apple) post the code from their own origin. Appwrite 1.3 exempts this
 * route from the origin check (`origin: *`), so it lives outside the Nest pipeline, whose CSRF guard
 * would refuse the provider's origin. It touches no data: it only forwards the browser (301) to the
 * GET redirect route, which runs through the full pipeline. Its form parser is scoped to this route.
 */
export async function formPostCallbackPlugin(scope: FastifyInstance): Promise<void> {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  scope.post(FORM_POST_CALLBACK_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as Record<string, string>;
    const input = { ...(request.query as Record<string, unknown>), ...(request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {}) };
    const web = oauth2Web(request, reply);
    const { url } = redirectTo(web, forwardUrl(web, knownProvider(params.provider), params.projectId, string(input.code), string(input.state)));
    return reply.redirect(url, 301);
  });
}
