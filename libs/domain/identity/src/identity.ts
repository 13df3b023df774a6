import { KeyEntity, SessionEntity, UserEntity } from '@appconda/database';
import { RequestContext } from '@appconda/core';

import { ProjectContext } from './project-settings';

/** What the identity resolver learned about a request, kept in `ctx.extras.identity`. */
export interface Identity {
  project: ProjectContext;
  /** `admin` when a console user acts on a project (X-Appwrite-Mode). */
  mode: 'default' | 'admin';
  user?: UserEntity;
  /** The session the user authenticated with (cookie, fallback cookie or JWT). */
  session?: SessionEntity;
  key?: KeyEntity;
}

/** The identity of a request the pipeline has resolved. Throws if called on a request it did not resolve. */
export function identityOf(ctx: RequestContext | undefined): Identity {
  const identity = ctx?.extras.identity as Identity | undefined;
  if (!identity) throw new Error('request identity was not resolved (route without @Route?)');
  return identity;
}
