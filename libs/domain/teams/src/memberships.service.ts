import { Injectable } from '@nestjs/common';
import { assertRedirectUrl, clientHostnames, SessionsService, WebExchange, withQuery } from '@appconda/account';
import { consolePlatforms, generateSecret, hashSecret, secretMatches } from '@appconda/auth';
import { AppConfig } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { AppException, ErrorType, generateId, RequestContext, setEventParam, setEventPayload } from '@appconda/core';
import { Database, MembershipEntity, MembershipRepository, TeamEntity, TeamRepository, UserEntity, UserRepository } from '@appconda/database';
import { CONSOLE_PROJECT_ID, identityOf } from '@appconda/identity';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { isDuplicateKey, MembershipModel, toMembershipModel, UsersService } from '@appconda/users';

import { allowed, assertAllowed, inviteMembershipPermissions, isTeamOwner, managesAnyTeam } from './teams.access';
import { TeamsService } from './teams.service';

export interface MembershipList {
  total: number;
  memberships: MembershipModel[];
}

export interface MembershipInvite {
  email?: string;
  userId?: string;
  phone?: string;
  roles: string[];
  url: string;
  name?: string;
}

/** The values a cursor query compares against (`cursorAfter(<membershipId>)`). */
export function membershipCursorRow(membership: MembershipEntity): Record<string, unknown> {
  const { uid, internalId, createdAt, updatedAt, userId, teamId, invited, joined, confirm } = membership;
  return { $id: uid, $internalId: internalId, $createdAt: createdAt, $updatedAt: updatedAt, userId, teamId, invited, joined, confirm };
}

/**
 * Team memberships: invitations (confirmed at once for API keys and console admins, otherwise a
 * secret mailed to the invitee), roles, leaving/removal, and accepting an invite, which signs the
 * invitee in. Team counts (`total`) follow confirmed memberships only.
 */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly config: AppConfig,
    private readonly db: Database,
    @InjectJobQueue(QueueName.Mails) private readonly mails: JobQueue<QueueName.Mails>,
    private readonly memberships: MembershipRepository,
    @InjectJobQueue(QueueName.Messaging) private readonly messaging: JobQueue<QueueName.Messaging>,
    private readonly sessions: SessionsService,
    private readonly teams: TeamRepository,
    private readonly teamsService: TeamsService,
    private readonly users: UserRepository,
    private readonly usersService: UsersService,
  ) {}

  /**
   * Invites a user (by ID, email or phone; an unknown email or phone creates the user). Keys and
   * console admins add a confirmed member and bump the team's total; owners create a pending invite
   * with a hashed secret and the invitee gets the link by mail (or SMS for a phone-only invite).
   */
  async create(ctx: RequestContext, teamId: string, input: MembershipInvite, web: WebExchange): Promise<MembershipModel> {
    // 1.3's Host validator: the console's hostnames, the API's own, and the project's web platforms.
    const url = assertRedirectUrl(input.url, clientHostnames(consolePlatforms(web.hostname), identityOf(ctx).project.platforms));
    if (!input.userId && !input.email && !input.phone) throw new AppException(ErrorType.GeneralArgumentInvalid, 'At least one of userId, email, or phone is required');
    const privileged = managesAnyTeam(ctx);
    const identity = identityOf(ctx);
    if (!privileged && identity.project.id !== CONSOLE_PROJECT_ID && identity.project.auths.methods.invites === false) {
      throw new AppException(ErrorType.UserAuthMethodUnsupported, 'Invites are disabled for this project.');
    }
    if (!privileged && !this.config.get('smtp').enabled) throw new AppException(ErrorType.GeneralSmtpDisabled);
    const team = await this.teamsService.findReadable(ctx, teamId);
    // 1.3 resolves (and may create) the invitee first; checking the inviter first avoids creating users for refused invites.
    if (!privileged && !isTeamOwner(ctx, team.uid)) throw new AppException(ErrorType.UserUnauthorized, 'Only team owners may invite members.');
    const invitee = await this.resolveInvitee(ctx, input);
    if (await this.memberships.findByTeamAndUser(ctx.projectId, team.internalId, invitee.internalId)) throw new AppException(ErrorType.TeamInviteAlreadyExists);

    const secret = generateSecret();
    const uid = generateId();
    const now = new Date();
    let membership: MembershipEntity;
    try {
      membership = await this.db.transaction(async (manager) => {
        const created = await this.memberships.with(manager).create(ctx.projectId, {
          uid,
          permissions: inviteMembershipPermissions(team.uid, invitee.uid),
          userInternalId: invitee.internalId,
          userId: invitee.uid,
          teamInternalId: team.internalId,
          teamId: team.uid,
          roles: input.roles,
          invited: now,
          joined: privileged ? now : null,
          confirm: privileged,
          secret: hashSecret(secret),
          search: [uid, invitee.uid].join(' '),
        });
        if (privileged) await this.teams.with(manager).adjustTotal(ctx.projectId, team.uid, 1);
        return created;
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppException(ErrorType.TeamInviteAlreadyExists);
      throw error;
    }
    setEventParam(ctx, 'membershipId', membership.uid);
    if (!privileged) {
      const link = withQuery(url, { membershipId: membership.uid, userId: invitee.uid, secret, teamId: team.uid });
      await this.sendInvitation(ctx, team, invitee, link, input.email ? 'email' : 'phone');
    }
    return toMembershipModel(membership, invitee, team);
  }

  /** A team's memberships (pending ones included) for 1.3 queries and search; members only. */
  async list(ctx: RequestContext, teamId: string, queries: unknown, search?: string): Promise<MembershipList> {
    const team = await this.teamsService.findReadable(ctx, teamId);
    const schema = SystemListSchemas.memberships;
    const groups = withSearch(validateQueries(parseQueries(queries ?? []), schema), search);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const row = await this.memberships.findByUid(ctx.projectId, groups.cursor.id);
      if (!row || row.teamInternalId !== team.internalId) throw cursorNotFound(groups.cursor.id);
      cursorRow = membershipCursorRow(row);
    }
    const page = await this.memberships.listByQuery(ctx.projectId, compileQueries(groups, { cursorRow, schema }), { where: { teamInternalId: team.internalId } });
    const profiles = await this.memberships.memberProfiles(ctx.projectId, page.rows.map((row) => row.userInternalId));
    return { total: page.total, memberships: page.rows.map((row) => toMembershipModel(row, profiles.get(String(row.userInternalId)), team)) };
  }

  async get(ctx: RequestContext, teamId: string, membershipId: string): Promise<MembershipModel> {
    const team = await this.teamsService.findReadable(ctx, teamId);
    const membership = await this.findInTeam(ctx, team, membershipId);
    return this.toModel(ctx, membership, team);
  }

  /** Owners, keys and console admins change a member's roles; anyone else 401 user_unauthorized. */
  async updateRoles(ctx: RequestContext, teamId: string, membershipId: string, roles: string[]): Promise<MembershipModel> {
    const team = await this.teamsService.findReadable(ctx, teamId);
    const membership = await this.findInTeam(ctx, team, membershipId);
    if (!managesAnyTeam(ctx) && !isTeamOwner(ctx, team.uid)) throw new AppException(ErrorType.UserUnauthorized, 'Only team owners may change member roles.');
    const updated = await this.memberships.update(ctx.projectId, membership.uid, { roles });
    return this.toModel(ctx, updated ?? membership, team);
  }

  /**
   * Removes a membership: the member themself (leaving) or an owner; a confirmed one lowers the
   * team's total. Membership and count change together.
   */
  async delete(ctx: RequestContext, teamId: string, membershipId: string): Promise<void> {
    const membership = await this.memberships.findByUid(ctx.projectId, membershipId);
    // 1.3.8's delete route answers team_invite_not_found here; issue #15 asks for the same
    // membership_not_found as get and update, which names what is missing.
    if (!membership) throw new AppException(ErrorType.MembershipNotFound);
    if (membership.teamId !== teamId) throw new AppException(ErrorType.TeamMembershipMismatch);
    const team = await this.teams.findByUid(ctx.projectId, teamId);
    if (!team) throw new AppException(ErrorType.TeamNotFound);
    assertAllowed(ctx, 'delete', membership.permissions);
    // 1.3's delete events carry the deleted membership (realtime re-reads its user's roles from it).
    const model = await this.toModel(ctx, membership, team);
    await this.db.transaction(async (manager) => {
      const removed = await this.memberships.with(manager).delete(ctx.projectId, membership.uid);
      if (removed && membership.confirm) await this.teams.with(manager).adjustTotal(ctx.projectId, team.uid, -1);
    });
    setEventPayload(ctx, model);
  }

  /**
   * Accepts an invitation with the secret from its link (1.3 order of checks): the membership is
   * confirmed, the team's total grows, the invitee's email counts as verified, and the invitee is
   * signed in with a new session whose cookies go on the response.
   */
  async updateStatus(ctx: RequestContext, teamId: string, membershipId: string, userId: string, secret: string, web: WebExchange): Promise<MembershipModel> {
    const membership = await this.memberships.findByUid(ctx.projectId, membershipId);
    if (!membership) throw new AppException(ErrorType.MembershipNotFound);
    if (membership.teamId !== teamId) throw new AppException(ErrorType.TeamMembershipMismatch);
    const team = await this.teams.findByUid(ctx.projectId, teamId);
    if (!team) throw new AppException(ErrorType.TeamNotFound);
    if (!membership.secret || !secretMatches(secret, membership.secret)) throw new AppException(ErrorType.TeamInvalidSecret);
    if (userId !== membership.userId) throw new AppException(ErrorType.TeamInviteMismatch);
    const current = identityOf(ctx).user;
    const user = current ?? (await this.users.findByUid(ctx.projectId, userId));
    if (!user || user.internalId !== membership.userInternalId) throw new AppException(ErrorType.TeamInviteMismatch);
    if (membership.confirm) throw new AppException(ErrorType.MembershipAlreadyConfirmed);

    const joined = new Date();
    await this.db.transaction(async (manager) => {
      if (!(await this.memberships.with(manager).confirm(ctx.projectId, membership.uid, joined))) throw new AppException(ErrorType.MembershipAlreadyConfirmed);
      await this.users.with(manager).update(ctx.projectId, user.uid, { emailVerification: true });
      await this.teams.with(manager).adjustTotal(ctx.projectId, team.uid, 1);
    });
    await this.sessions.createSession(ctx, web, user, { provider: 'email', providerUid: user.email ?? '' });
    const confirmed = (await this.memberships.findByUid(ctx.projectId, membership.uid)) ?? { ...membership, confirm: true, joined };
    return toMembershipModel(confirmed, user, team);
  }

  /** The membership when it belongs to the team and the caller may read it; otherwise 404 membership_not_found (1.3's get and roles update). */
  private async findInTeam(ctx: RequestContext, team: TeamEntity, membershipId: string): Promise<MembershipEntity> {
    const membership = await this.memberships.findByUid(ctx.projectId, membershipId);
    if (!membership || membership.teamInternalId !== team.internalId || !allowed(ctx, 'read', membership.permissions)) throw new AppException(ErrorType.MembershipNotFound);
    return membership;
  }

  private async toModel(ctx: RequestContext, membership: MembershipEntity, team: TeamEntity): Promise<MembershipModel> {
    const profiles = await this.memberships.memberProfiles(ctx.projectId, [membership.userInternalId]);
    return toMembershipModel(membership, profiles.get(String(membership.userInternalId)), team);
  }

  /** The invitee by ID, email or phone (they must agree when several are given); unknown email/phone creates the user. */
  private async resolveInvitee(ctx: RequestContext, input: MembershipInvite): Promise<UserEntity> {
    const email = input.email ? input.email.toLowerCase() : '';
    const phone = input.phone ?? '';
    let invitee: UserEntity | null = null;
    if (input.userId) {
      invitee = await this.users.findByUid(ctx.projectId, input.userId);
      if (!invitee) throw new AppException(ErrorType.UserNotFound, 'No user with the given userId exists.');
      if (email && (invitee.email ?? '') !== email) throw new AppException(ErrorType.UserAlreadyExists, 'The given userId and email belong to different users.');
      if (phone && (invitee.phone ?? '') !== phone) throw new AppException(ErrorType.UserAlreadyExists, 'The given userId and phone belong to different users.');
      return invitee;
    }
    invitee = email ? await this.users.findByEmail(ctx.projectId, email) : await this.users.findByPhone(ctx.projectId, phone);
    if (invitee) {
      if (email && phone && (invitee.phone ?? '') !== phone) throw new AppException(ErrorType.UserAlreadyExists, 'The given email and phone belong to different users.');
      return invitee;
    }
    // Console invitations are always allowed; projects keep their user limit.
    return this.usersService.createUser(
      ctx.projectId,
      { userId: 'unique()', email: email || null, phone: phone || null, name: input.name || email || null, password: null },
      undefined,
      { enforceLimit: ctx.projectId !== CONSOLE_PROJECT_ID },
    );
  }

  private async sendInvitation(ctx: RequestContext, team: TeamEntity, invitee: UserEntity, link: string, channel: 'email' | 'phone'): Promise<void> {
    const { project, user: inviter } = identityOf(ctx);
    if (channel === 'phone' && invitee.phone) {
      await this.messaging.add({ recipient: invitee.phone, message: link, projectId: ctx.projectId });
      return;
    }
    await this.mails.add({
      recipient: invitee.email ?? '',
      name: invitee.name,
      template: 'invitation',
      locale: ctx.locale || 'en',
      variables: { link, project: project.name, team: team.name, inviter: inviter?.name ?? '', user: invitee.name },
      projectId: ctx.projectId,
    });
  }
}
