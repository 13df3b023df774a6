import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MailJob, QueueName } from '@appconda/contracts';
import { generateId, RequestContext, setEventParam } from '@appconda/core';
import { TokenEntity, TokenRepository, UserEntity } from '@appconda/database';
import { identityOf } from '@appconda/identity';
import { findValidToken, generateSecret, hashSecret, Permission, Role, TokenType } from '@appconda/auth';
import { InjectJobQueue, JobQueue } from '@appconda/queue';

/** How long each kind of token lives, in seconds (Appwrite 1.3 `Auth::TOKEN_EXPIRATION_*`). */
export const TOKEN_TTL: Readonly<Record<TokenType.Verification | TokenType.Recovery | TokenType.MagicUrl | TokenType.Phone, number>> = {
  [TokenType.Verification]: 7 * 24 * 3600,
  [TokenType.Recovery]: 3600,
  [TokenType.MagicUrl]: 3600,
  [TokenType.Phone]: 15 * 60,
};

/** Mail templates the mails worker renders (libs/domain/messaging MailTemplate values). */
export type AccountMailTemplate = 'verification' | 'recovery' | 'magicSession';

/** Six digits, as Appwrite's `Auth::codeGenerator()` sends by SMS. */
export function phoneCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Single-use user tokens (verification, recovery, magic URL, phone codes): issued with a hashed
 * secret and an expiry, checked against the presented secret, consumed after use; and the mails and
 * SMS that carry them.
 */
@Injectable()
export class TokensService {
  constructor(
    private readonly tokens: TokenRepository,
    @InjectJobQueue(QueueName.Mails) private readonly mails: JobQueue<QueueName.Mails>,
    @InjectJobQueue(QueueName.Messaging) private readonly messaging: JobQueue<QueueName.Messaging>,
  ) {}

  /** Stores a new token of `type` for the user; `secret` is the plain value sent to the user. */
  async issue(ctx: RequestContext, user: UserEntity, type: keyof typeof TOKEN_TTL, secret = generateSecret()): Promise<{ token: TokenEntity; secret: string }> {
    const owner = Role.user(user.uid);
    const token = await this.tokens.create(user.project, {
      uid: generateId(),
      userInternalId: user.internalId,
      userId: user.uid,
      type,
      secret: hashSecret(secret),
      expire: new Date(Date.now() + TOKEN_TTL[type] * 1000),
      userAgent: ctx.userAgent,
      ip: ctx.ip,
      permissions: [Permission.read(owner), Permission.update(owner), Permission.delete(owner)],
    });
    setEventParam(ctx, 'userId', user.uid);
    setEventParam(ctx, 'tokenId', token.uid);
    return { token, secret };
  }

  /** The user's unexpired token of `type` matching `secret`, or undefined. */
  async find(user: UserEntity, type: TokenType, secret: string): Promise<TokenEntity | undefined> {
    const tokens = await this.tokens.listByUser(user.project, user.internalId);
    const stored = tokens.map((token) => ({ $id: token.uid, type: token.type, secret: token.secret, expire: token.expire, token }));
    return findValidToken(stored, type, secret)?.token;
  }

  /** Removes a used token. */
  async consume(ctx: RequestContext, token: TokenEntity): Promise<void> {
    await this.tokens.delete(token.project, token.uid);
    setEventParam(ctx, 'userId', token.userId);
    setEventParam(ctx, 'tokenId', token.uid);
  }

  /** Queues a templated auth mail in the request's locale with the action link. */
  async sendMail(ctx: RequestContext, user: UserEntity, template: AccountMailTemplate, link: string): Promise<void> {
    const { project } = identityOf(ctx);
    const job: MailJob = {
      recipient: user.email ?? '',
      name: user.name ?? '',
      template,
      locale: ctx.locale ?? 'en',
      variables: { link, project: project.name, user: user.name ?? '' },
      projectId: ctx.projectId,
    };
    await this.mails.add(job);
  }

  /** Queues the SMS carrying a phone code. */
  async sendCode(ctx: RequestContext, phone: string, code: string): Promise<void> {
    const { project } = identityOf(ctx);
    await this.messaging.add({ recipient: phone, message: `${code} is your ${project.name} verification code.`, projectId: ctx.projectId });
  }
}
