import { IsUid, ruleConstraint, toApiDate, ToArray } from '@appconda/core';
import { TeamEntity } from '@appconda/database';
import { isValidEmail, isValidPhone, isValidPrefs, Preferences, toPreferences, UserRules } from '@appconda/users';
import { IsOptional, IsString, MaxLength, Validate, ValidateIf } from 'class-validator';

/** Appwrite 1.3 `APP_LIMIT_ARRAY_PARAMS_SIZE`: the most roles one param carries. */
export const MAX_ROLES = 100;

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;
const KEY_RULE = "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";
const TEXT_128 = { message: UserRules.nameMessage };
const TEXT_256 = { message: 'Value must be a valid string and no longer than 256 chars' };

/** A team role list as 1.3's `ArrayList(Key, 100)` accepts it. */
export function isValidRoles(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= MAX_ROLES && value.every((role) => typeof role === 'string' && KEY.test(role));
}


const RolesRule = ruleConstraint('roles', isValidRoles, `Value must a valid array no longer than ${MAX_ROLES} items and ${KEY_RULE}`);
const EmailRule = ruleConstraint('email', isValidEmail, UserRules.emailMessage);
const PhoneRule = ruleConstraint('phone', isValidPhone, UserRules.phoneMessage);
const PrefsRule = ruleConstraint('prefs', isValidPrefs, UserRules.prefsMessage);

/** Optional in 1.3 means "absent, null or the default": an empty string skips the rule. */
const present = (_object: object, value: unknown) => value !== undefined && value !== null && value !== '';

export class TeamParamDto {
  @IsString() teamId: string;
}

export class MembershipParamDto extends TeamParamDto {
  @IsString() membershipId: string;
}

/** List routes: `queries[]` comes through the Users lib's @QueriesParam() (raw query string forms of both SDKs). */
export class ListDto {
  @IsOptional() @IsString() search?: string;
}

export class CreateTeamDto {
  @IsUid() teamId: string;
  @IsString(TEXT_128) @MaxLength(UserRules.nameMax, TEXT_128) name: string;
  /** Roles of the creating user in the new team (1.3 default: owner). */
  @IsOptional() @ToArray() @Validate(RolesRule) roles?: string[] = ['owner'];
}

export class UpdateTeamNameDto {
  @IsString(TEXT_128) @MaxLength(UserRules.nameMax, TEXT_128) name: string;
}

export class UpdateTeamPrefsDto {
  @Validate(PrefsRule) prefs: Record<string, unknown>;
}

export class CreateMembershipDto {
  @ValidateIf(present) @Validate(EmailRule) email?: string = '';
  @ValidateIf(present) @IsUid() userId?: string = '';
  @ValidateIf(present) @Validate(PhoneRule) phone?: string = '';
  @ToArray() @Validate(RolesRule) roles: string[];
  /** Checked against the project's client hostnames by the service (1.3's Host validator needs the request). */
  @IsString() url: string;
  @IsOptional() @IsString(TEXT_128) @MaxLength(UserRules.nameMax, TEXT_128) name?: string = '';
}

export class UpdateMembershipRolesDto {
  @ToArray() @Validate(RolesRule) roles: string[];
}

export class UpdateMembershipStatusDto {
  @IsUid() userId: string;
  @IsString(TEXT_256) @MaxLength(256, TEXT_256) secret: string;
}

/** The 1.3 `team` model. */
export interface TeamModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  total: number;
  prefs: Preferences;
}

export function toTeamModel(team: TeamEntity): TeamModel {
  return {
    $id: team.uid,
    $createdAt: toApiDate(team.createdAt),
    $updatedAt: toApiDate(team.updatedAt),
    name: team.name,
    total: Number(team.total ?? 0),
    prefs: toPreferences(team.prefs),
  };
}
