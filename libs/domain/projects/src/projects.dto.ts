import { API_KEY_SCOPES } from '@appconda/contracts';
import { IsUid, ToArray, ToBoolean, ToInt } from '@appconda/core';
import { USAGE_RANGE_NAMES } from '@appconda/usage';
import { IsOptional } from 'class-validator';

import { AUTH_METHODS, LIMITS, OAUTH2_PROVIDERS, OPTIONAL_SERVICES, PLATFORM_TYPES } from './projects.catalog';
import {
  IsBool,
  IsDatetimeParam,
  IsDomainParam,
  IsEventList,
  IsHostnameParam,
  IsListOf,
  IsOneOf,
  IsRange,
  IsText,
  IsUrlParam,
} from './projects.validators';

// Request params of the 1.3 projects routes: names, bounds and defaults from the console spec.

/** Array query params are parsed by core (`queries[]`, `queries[0]`, …); kept exported for the libs that import them from here. */
export { QueriesParam, queryArray } from '@appconda/core';

/** GET /v1/projects: `queries` comes through @QueriesParam(). */
export class ListProjectsDto {
  @IsOptional() @IsText(256) search?: string;
}

class ProjectDetailsDto {
  @IsText(128) name!: string;
  @IsOptional() @IsText(256) description = '';
  @IsOptional() @IsText(1024) logo = '';
  @IsOptional() @IsUrlParam(undefined, true) url = '';
  @IsOptional() @IsText(256) legalName = '';
  @IsOptional() @IsText(256) legalCountry = '';
  @IsOptional() @IsText(256) legalState = '';
  @IsOptional() @IsText(256) legalCity = '';
  @IsOptional() @IsText(256) legalAddress = '';
  @IsOptional() @IsText(256) legalTaxId = '';
}

export class CreateProjectDto extends ProjectDetailsDto {
  @IsUid() projectId!: string;
  @IsUid() teamId!: string;
  @IsOptional() @IsOneOf(['default']) region = 'default';
}

export class UpdateProjectDto extends ProjectDetailsDto {}

export class DeleteProjectDto {
  @IsText(256) password!: string;
}

export class AuthDurationDto {
  @ToInt() @IsRange(0, LIMITS.duration) duration!: number;
}

export class AuthLimitDto {
  @ToInt() @IsRange(0, LIMITS.users) limit!: number;
}

export class AuthSessionsLimitDto {
  @ToInt() @IsRange(LIMITS.sessionsMin, LIMITS.sessionsMax) limit!: number;
}

export class AuthPasswordHistoryDto {
  @ToInt() @IsRange(0, LIMITS.passwordHistory) limit!: number;
}

export class AuthPasswordDictionaryDto {
  @ToBoolean() @IsBool() enabled!: boolean;
}

export class AuthMethodParamsDto {
  @IsOneOf(Object.keys(AUTH_METHODS)) method!: string;
}

export class AuthStatusDto {
  @ToBoolean() @IsBool() status!: boolean;
}

export class UpdateOAuth2Dto {
  @IsOneOf(OAUTH2_PROVIDERS) provider!: string;
  @IsOptional() @IsText(256) appId?: string;
  @IsOptional() @IsText(512) secret?: string;
  @IsOptional() @ToBoolean() @IsBool() enabled?: boolean;
}

export class ServiceStatusDto {
  @IsOneOf(OPTIONAL_SERVICES) service!: string;
  @ToBoolean() @IsBool() status!: boolean;
}

export class UsageDto {
  @IsOptional() @IsOneOf(USAGE_RANGE_NAMES) range = '30d';
}

export class KeyDto {
  @IsText(128) name!: string;
  @ToArray() @IsListOf(API_KEY_SCOPES, LIMITS.arrayParams) scopes!: string[];
  @IsOptional() @IsDatetimeParam() expire?: string | null;
}

export class CreatePlatformDto {
  @IsOneOf(PLATFORM_TYPES) type!: string;
  @IsText(128) name!: string;
  @IsOptional() @IsText(256) key = '';
  @IsOptional() @IsText(256) store = '';
  @IsOptional() @IsHostnameParam() hostname = '';
}

export class UpdatePlatformDto {
  @IsText(128) name!: string;
  @IsOptional() @IsText(256) key = '';
  @IsOptional() @IsText(256) store = '';
  @IsOptional() @IsHostnameParam() hostname = '';
}

export class WebhookDto {
  @IsText(128) name!: string;
  @ToArray() @IsEventList(LIMITS.arrayParams) events!: string[];
  @IsUrlParam(['http', 'https']) url!: string;
  @ToBoolean() @IsBool() security!: boolean;
  @IsOptional() @IsText(256) httpUser = '';
  @IsOptional() @IsText(256) httpPass = '';
}

export class CreateDomainDto {
  @IsDomainParam() domain!: string;
}
