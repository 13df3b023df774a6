import { IsUid, Satisfies } from '@appconda/core';
import { isValidEmail, isValidPassword, isValidPhone, isValidPrefs, UserRules } from '@appconda/users';
import { IsDefined, IsOptional } from 'class-validator';

const text = (max: number) => (value: unknown) => typeof value === 'string' && [...value].length <= max;
const textMessage = (max: number) => `Value must be a valid string and no longer than ${max} chars`;

const IsEmailParam = () => Satisfies('isAppEmail', isValidEmail, UserRules.emailMessage);
const IsPasswordParam = () => Satisfies('isAppPassword', isValidPassword, UserRules.passwordMessage);
const IsPhoneParam = () => Satisfies('isAppPhone', isValidPhone, UserRules.phoneMessage);
const IsName = () => Satisfies('isAppName', text(UserRules.nameMax), UserRules.nameMessage);
const IsSecret = () => Satisfies('isAppSecret', (value) => typeof value === 'string' && value !== '' && [...value].length <= 256, textMessage(256));
const IsUrlParam = () => Satisfies('isAppUrl', (value) => typeof value === 'string' && value !== '' && value.length <= 2048, 'Value must be a valid URL');

export class CreateAccountDto {
  @IsDefined() @IsUid() userId!: string;
  @IsDefined() @IsEmailParam() email!: string;
  @IsDefined() @IsPasswordParam() password!: string;
  @IsOptional() @IsName() name?: string;
}

export class UpdateNameDto {
  @IsDefined() @IsName() name!: string;
}

export class UpdateEmailDto {
  @IsDefined() @IsEmailParam() email!: string;
  @IsDefined() @IsPasswordParam() password!: string;
}

export class UpdatePhoneDto {
  @IsDefined() @IsPhoneParam() phone!: string;
  @IsDefined() @IsPasswordParam() password!: string;
}

export class UpdatePasswordDto {
  @IsDefined() @IsPasswordParam() password!: string;
  @IsOptional() @IsPasswordParam() oldPassword?: string;
}

export class UpdatePrefsDto {
  @IsDefined() @Satisfies('isAppPrefs', isValidPrefs, UserRules.prefsMessage) prefs!: Record<string, unknown>;
}

export class SessionParamDto {
  @IsDefined() @Satisfies('isSessionId', text(36), textMessage(36)) sessionId!: string;
}

export class EmailSessionDto {
  @IsDefined() @IsEmailParam() email!: string;
  @IsDefined() @IsPasswordParam() password!: string;
}

export class MagicUrlSessionDto {
  @IsDefined() @IsUid() userId!: string;
  @IsDefined() @IsEmailParam() email!: string;
  @IsOptional() @IsUrlParam() url?: string;
}

export class PhoneSessionDto {
  @IsDefined() @IsUid() userId!: string;
  @IsDefined() @IsPhoneParam() phone!: string;
}

/** PUT routes that redeem a token: the user and the secret from the link or SMS. */
export class TokenSecretDto {
  @IsDefined() @IsUid() userId!: string;
  @IsDefined() @IsSecret() secret!: string;
}

export class VerificationDto {
  @IsDefined() @IsUrlParam() url!: string;
}

export class CreateRecoveryDto {
  @IsDefined() @IsEmailParam() email!: string;
  @IsDefined() @IsUrlParam() url!: string;
}

export class UpdateRecoveryDto extends TokenSecretDto {
  @IsDefined() @IsPasswordParam() password!: string;
  @IsDefined() @IsPasswordParam() passwordAgain!: string;
}
