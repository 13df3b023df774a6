import { IsUid, ruleConstraint, ToBoolean, ToInt } from '@appconda/core';
import { SHA_VERSIONS } from '@appconda/auth';
import { USAGE_RANGE_NAMES } from '@appconda/usage';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, Validate, ValidateIf } from 'class-validator';

import { isValidEmail, isValidPassword, isValidPasswordHash, isValidPhone, isValidPrefs, UserRules } from './users.rules';

const EmailRule = ruleConstraint('email', isValidEmail, UserRules.emailMessage);
const PhoneRule = ruleConstraint('phone', isValidPhone, UserRules.phoneMessage);
const PasswordRule = ruleConstraint('password', isValidPassword, UserRules.passwordMessage);
const HashRule = ruleConstraint('passwordHash', isValidPasswordHash, UserRules.hashMessage);
const PrefsRule = ruleConstraint('prefs', isValidPrefs, UserRules.prefsMessage);
const TEXT_128 = { message: UserRules.nameMessage };
const BOOLEAN = { message: 'Value must be a valid boolean' };
const INTEGER = { message: 'Value must be a valid integer' };

/** Array query params are parsed by core (`queries[]`, `queries[0]`, …); kept exported for the libs that import them from here. */
export { QueriesParam, queryArray } from '@appconda/core';

/** Optional in 1.3 means "absent, null or the default": an empty string skips the rule. */
const present = (_object: object, value: unknown) => value !== undefined && value !== null && value !== '';

export class UserIdParamDto {
  @IsString() userId: string;
}

export class SessionParamDto extends UserIdParamDto {
  @IsString() sessionId: string;
}

/** GET /v1/users: `queries[]` comes through @QueriesParam(). */
export class ListUsersDto {
  @IsOptional() @IsString() search?: string;
}

/** The fields every create route shares: userId, email, name. */
class CreateUserBaseDto {
  @IsUid() userId: string;
  @ValidateIf(present) @Validate(EmailRule) email?: string | null;
  @IsOptional() @IsString(TEXT_128) @MaxLength(UserRules.nameMax, TEXT_128) name?: string = '';
}

/** POST /v1/users: optional email, phone and plain password. */
export class CreateUserDto extends CreateUserBaseDto {
  @ValidateIf(present) @Validate(PhoneRule) phone?: string | null;
  @ValidateIf(present) @Validate(PasswordRule) password?: string = '';
}

/** POST /v1/users/{argon2,bcrypt,md5,phpass}: email and the imported hash are required. */
export class CreateHashedUserDto {
  @IsUid() userId: string;
  @Validate(EmailRule) email: string;
  /** Stored verbatim (it is already a hash), so it must fit the column: never a 500 from SQL. */
  @Validate(HashRule) password: string;
  @IsOptional() @IsString(TEXT_128) @MaxLength(UserRules.nameMax, TEXT_128) name?: string = '';
}

export class CreateShaUserDto extends CreateHashedUserDto {
  @ValidateIf(present) @IsIn([...SHA_VERSIONS], { message: `Value must be one of (${SHA_VERSIONS.join(', ')})` }) passwordVersion?: string = '';
}

export class CreateScryptUserDto extends CreateHashedUserDto {
  @IsString() passwordSalt: string;
  @ToInt() @IsInt(INTEGER) @Min(0, INTEGER) passwordCpu: number;
  @ToInt() @IsInt(INTEGER) @Min(0, INTEGER) passwordMemory: number;
  @ToInt() @IsInt(INTEGER) @Min(0, INTEGER) passwordParallel: number;
  @ToInt() @IsInt(INTEGER) @Min(0, INTEGER) passwordLength: number;
}

export class CreateScryptModifiedUserDto extends CreateHashedUserDto {
  @IsString() passwordSalt: string;
  @IsString() passwordSaltSeparator: string;
  @IsString() passwordSignerKey: string;
}

export class UpdateEmailDto {
  @Validate(EmailRule) email: string;
}

export class UpdateNameDto {
  @IsString(TEXT_128) @MaxLength(UserRules.nameMax, TEXT_128) name: string;
}

export class UpdatePasswordDto {
  @Validate(PasswordRule) password: string;
}

export class UpdatePhoneDto {
  @Validate(PhoneRule) number: string;
}

export class UpdatePrefsDto {
  @Validate(PrefsRule) prefs: Record<string, unknown>;
}

export class UpdateStatusDto {
  @ToBoolean() @IsBoolean(BOOLEAN) status: boolean;
}

export class UpdateEmailVerificationDto {
  @ToBoolean() @IsBoolean(BOOLEAN) emailVerification: boolean;
}

export class UpdatePhoneVerificationDto {
  @ToBoolean() @IsBoolean(BOOLEAN) phoneVerification: boolean;
}

export class UsageDto {
  @IsOptional() @IsIn(USAGE_RANGE_NAMES, { message: `Value must be one of (${USAGE_RANGE_NAMES.join(', ')})` }) range?: string = '30d';
  @IsOptional() @IsString() provider?: string = '';
}
