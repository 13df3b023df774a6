import { Inject, Injectable } from '@nestjs/common';
import { cookieDomain, sessionCookieName } from '@appconda/auth';
import { ErrorDefinition, ErrorType } from '@appconda/contracts';
import { AppException, isAppException, RequestContext, serviceLogger } from '@appconda/core';
import { SessionRepository, UserEntity, UserRepository } from '@appconda/database';
import { identityOf } from '@appconda/identity';

import { OAUTH2_ACCOUNTS, OAuth2Accounts } from './oauth2-accounts';
import { OAuth2ClientFactory } from './oauth2-client.factory';
import { codeChallenge, OAuth2State, OAuth2StateSigner, readUnverifiedState } from './oauth2-state';
import {
  allowedRedirectHosts,
  DEFAULT_FAILURE_PATH,
  DEFAULT_SUCCESS_PATH,
  failureUrl,
  isAllowedRedirect,
  isDefaultSuccessPage,
  withQuery,
} from './oauth2-urls';
import { OAuth2Web } from './oauth2-web';
import { OAuth2User, TokenSet } from './providers/provider';

const logger = serviceLogger('api');

/** Appwrite 1.3's limits on `scopes[]` (APP_LIMIT_ARRAY_PARAMS_SIZE, APP_LIMIT_ARRAY_ELEMENT_SIZE). */
const MAX_SCOPES = 100;
const MAX_SCOPE_LENGTH = 4096;

export interface StartOAuth2Input {
  success?: string;
  failure?: string;
  scopes: string[];
}

/** A failed step of the redirect route that should be reported to the failure URL. */
class LoginFailure extends Error {
  constructor(
    readonly error: ErrorDefinition,
    message?: string,
  ) {
    super(message ?? error.message);
  }
}

/**
 * The OAuth2 login of Appwrite 1.3 (PROTOCOL §4): the start route sends the browser to the provider
 * with a signed state, the provider's callback is forwarded to the redirect route, which trades the
 * code for tokens, finds or creates the user, creates the session with its cookies and sends the
 * browser to `success` (or `failure` with an `error` parameter).
 */
@Injectable()
export class OAuth2Service {
  constructor(
    @Inject(OAUTH2_ACCOUNTS) private readonly accounts: OAuth2Accounts,
    private readonly clients: OAuth2ClientFactory,
    private readonly sessions: SessionRepository,
    private readonly signer: OAuth2StateSigner,
    private readonly users: UserRepository,
  ) {}

  /** GET /v1/account/sessions/oauth2/{provider}: the provider's authorize URL. */
  start(ctx: RequestContext, web: OAuth2Web, provider: string, input: StartOAuth2Input): string {
    const { project } = identityOf(ctx);
    const hosts = allowedRedirectHosts(project.platforms, web.hostname);
    if (input.success && !isAllowedRedirect(input.success, hosts)) throw new AppException(ErrorType.ProjectInvalidSuccessUrl);
    if (input.failure && !isAllowedRedirect(input.failure, hosts)) throw new AppException(ErrorType.ProjectInvalidFailureUrl);
    if (input.scopes.length > MAX_SCOPES || input.scopes.some((scope) => typeof scope !== 'string' || scope.length > MAX_SCOPE_LENGTH)) {
      throw new AppException(ErrorType.GeneralArgumentInvalid, `Invalid scopes: Value must be an array of at most ${MAX_SCOPES} strings of at most ${MAX_SCOPE_LENGTH} chars.`);
    }
    const client = this.clients.forProject(project, provider, callbackUrl(web, provider, project.id));
    const state = this.signer.create({
      success: input.success || `${web.protocol}://${web.host}${DEFAULT_SUCCESS_PATH}`,
      failure: input.failure || `${web.protocol}://${web.host}${DEFAULT_FAILURE_PATH}`,
      project: project.id,
      provider,
    });
    return client.loginUrl(this.signer.sign(state), input.scopes, codeChallenge(this.signer.codeVerifier(state)));
  }

  /**
   * GET /v1/account/sessions/oauth2/{provider}/redirect: completes the login and resolves where the
   * browser goes next. Failures go to the state's failure URL; without a trustworthy one they throw.
   */
  async redirect(ctx: RequestContext, web: OAuth2Web, provider: string, code: string, rawState: string): Promise<string> {
    const { project } = identityOf(ctx);
    const state = this.signer.verify(rawState);
    if (!state || state.project !== project.id || state.provider !== provider) return this.badState(ctx, web, rawState);
    try {
      return await this.complete(ctx, web, provider, code, state);
    } catch (error) {
      const failure = error instanceof LoginFailure ? error : isAppException(error) ? new LoginFailure(definitionOf(error), error.message) : undefined;
      if (!failure) throw error;
      if (!state.failure) throw new AppException(failure.error, failure.message);
      return failureUrl(state.failure, failure.error, failure.message);
    }
  }

  private async complete(ctx: RequestContext, web: OAuth2Web, provider: string, code: string, state: OAuth2State): Promise<string> {
    const identity = identityOf(ctx);
    const client = this.clients.forProject(identity.project, provider, callbackUrl(web, provider, identity.project.id));
    if (!code) throw new LoginFailure(ErrorType.UserMissingId, 'Failed to obtain access token');
    const tokens = await this.providerStep('token exchange', provider, () => client.exchangeCode(code, this.signer.codeVerifier(state)));
    if (!tokens.accessToken) throw new LoginFailure(ErrorType.UserMissingId, 'Failed to obtain access token');
    const profile = await this.providerStep('user lookup', provider, () => client.user(tokens));
    if (!profile.id) throw new LoginFailure(ErrorType.UserMissingId);

    const user = await this.resolveUser(ctx, provider, profile);
    if (user.status === false) throw new LoginFailure(ErrorType.UserBlocked);
    const updated = await this.markVerified(user, profile);

    const session = await this.accounts.createSession(ctx, web, updated, sessionSource(provider, profile, tokens));
    if (!isDefaultSuccessPage(state.success)) return state.success;
    // Native apps read the session from the built-in success page's query (Appwrite 1.3).
    return withQuery(state.success, {
      project: identity.project.id,
      domain: cookieDomain(web.hostname),
      key: sessionCookieName(identity.project.id),
      secret: session.cookieValue,
    });
  }

  /**
   * The user to sign in: the signed-in user (linking the provider to them, their current session is
   * replaced), else the owner of an earlier session with the same provider identity, else the user
   * with the provider's e-mail, else a new user.
   */
  private async resolveUser(ctx: RequestContext, provider: string, profile: OAuth2User): Promise<UserEntity> {
    const identity = identityOf(ctx);
    const projectId = identity.project.id;
    if (identity.user && identity.user.project === projectId) {
      if (identity.session) await this.sessions.delete(projectId, identity.session.uid);
      return identity.user;
    }
    const linked = await this.sessions.findOne(projectId, { provider, providerUid: profile.id });
    const owner = linked ? await this.users.findByInternalId(projectId, linked.userInternalId) : null;
    if (owner) return owner;
    const byEmail = profile.email ? await this.users.findByEmail(projectId, profile.email) : null;
    if (byEmail) return byEmail;
    return this.accounts.createUser(ctx, { email: profile.email || null, name: profile.name });
  }

  /**
   * 1.3 marks every OAuth2 user active and e-mail-verified, and gives an anonymous user (no e-mail,
   * phone or password) the provider's name and e-mail.
   */
  private async markVerified(user: UserEntity, profile: OAuth2User): Promise<UserEntity> {
    const anonymous = !user.email && !user.phone && !user.password;
    const changes: Partial<UserEntity> = { status: true, emailVerification: true };
    if (anonymous && profile.email) Object.assign(changes, { email: profile.email, name: profile.name || user.name });
    try {
      return (await this.users.update(user.project, user.uid, changes)) ?? user;
    } catch (error) {
      // The e-mail of an anonymous user may already belong to someone else: keep the user as it is.
      logger.warn({ err: error, userId: user.uid }, 'oauth2: user update skipped');
      return (await this.users.update(user.project, user.uid, { status: true, emailVerification: true })) ?? user;
    }
  }

  private async providerStep<T>(step: string, provider: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isAppException(error)) throw error;
      logger.warn({ provider, step, reason: (error as Error).message }, 'oauth2 provider call failed');
      throw new LoginFailure(ErrorType.UserMissingId, step === 'token exchange' ? 'Failed to obtain access token' : undefined);
    }
  }

  /**
   * A state that is forged, expired or from another login. Its failure URL is only used when it
   * points at a registered platform, so a forged state cannot turn this route into an open redirect.
   */
  private badState(ctx: RequestContext, web: OAuth2Web, rawState: string): string {
    const message = 'The OAuth2 login state is invalid or expired.';
    const claimed = readUnverifiedState(rawState)?.failure;
    const hosts = allowedRedirectHosts(identityOf(ctx).project.platforms, web.hostname);
    if (claimed && isAllowedRedirect(claimed, hosts)) return failureUrl(claimed, ErrorType.GeneralArgumentInvalid, message);
    throw new AppException(ErrorType.GeneralArgumentInvalid, message);
  }
}

/** GET|POST /v1/account/sessions/oauth2/callback/{provider}/{projectId}: where the provider's answer is forwarded. */
export function forwardUrl(web: OAuth2Web, provider: string, projectId: string, code: string, state: string): string {
  const url = new URL(`${web.protocol}://${web.host}/v1/account/sessions/oauth2/${encodeURIComponent(provider)}/redirect`);
  url.search = new URLSearchParams({ project: projectId, code, state }).toString();
  return url.toString();
}

/** The provider's redirect URI: `<scheme>://<host>/v1/account/sessions/oauth2/callback/<provider>/<projectId>`. */
export function callbackUrl(web: OAuth2Web, provider: string, projectId: string): string {
  return `${web.protocol}://${web.host}/v1/account/sessions/oauth2/callback/${encodeURIComponent(provider)}/${encodeURIComponent(projectId)}`;
}

function sessionSource(provider: string, profile: OAuth2User, tokens: TokenSet) {
  return {
    provider,
    providerUid: profile.id,
    providerAccessToken: tokens.accessToken,
    providerRefreshToken: tokens.refreshToken,
    // 1.3 stores now + expires_in (so "now" when the provider gave no lifetime).
    providerAccessTokenExpiry: new Date(Date.now() + tokens.expiresIn * 1000),
  };
}

function definitionOf(error: AppException): ErrorDefinition {
  return { type: error.type, code: error.code, message: error.message } as ErrorDefinition;
}
