import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { zitadelErrors } from '../zitadel-errors';

/**
 * Request bodies of ZITADEL's user service v2 (REST, lowerCamel JSON). Oneof groups are checked
 * by {@link assertOneof} in the services, which also know the defaults of an empty oneof.
 * `urlTemplate` has no length rule here: a bad template of any kind is ZITADEL's
 * `InvalidURLTemplate`, decided by the template validator.
 */

/** Accepted everywhere: grpc-gateway clients sometimes repeat the path's user id in the body. */
class UserScopedDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  userId?: string;
}

/** `sendCode`: mail the code, optionally inside the caller's link. */
export class SendEmailVerificationCodeDto {
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  urlTemplate?: string;
}

/** `returnCode`: no mail; the code comes back in the response. */
export class ReturnEmailVerificationCodeDto {}

/** SetEmailRequest. */
export class SetEmailDto extends UserScopedDto {
  @IsDefined()
  @IsString()
  @Length(1, 200)
  email!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SendEmailVerificationCodeDto)
  sendCode?: SendEmailVerificationCodeDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnEmailVerificationCodeDto)
  returnCode?: ReturnEmailVerificationCodeDto;

  @IsOptional()
  @IsBoolean()
  isVerified?: boolean;
}

/** SendEmailCodeRequest and ResendEmailCodeRequest. */
export class SendEmailCodeDto extends UserScopedDto {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SendEmailVerificationCodeDto)
  sendCode?: SendEmailVerificationCodeDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnEmailVerificationCodeDto)
  returnCode?: ReturnEmailVerificationCodeDto;
}

/** VerifyEmailRequest. */
export class VerifyEmailDto extends UserScopedDto {
  @IsDefined()
  @IsString()
  @Length(1, 20)
  verificationCode!: string;
}

/** ZITADEL's `NotificationType`, by name or by number as protobuf JSON allows. */
export const NOTIFICATION_TYPES = [
  'NOTIFICATION_TYPE_Unspecified',
  'NOTIFICATION_TYPE_Email',
  'NOTIFICATION_TYPE_SMS',
  0,
  1,
  2,
] as const;

/** `sendLink`: mail (or text) the reset code, optionally inside the caller's link. */
export class SendPasswordResetLinkDto {
  @IsOptional()
  @IsIn(NOTIFICATION_TYPES)
  notificationType?: (typeof NOTIFICATION_TYPES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  urlTemplate?: string;
}

/** `returnCode` of PasswordResetRequest. */
export class ReturnPasswordResetCodeDto {}

/** PasswordResetRequest. */
export class PasswordResetDto extends UserScopedDto {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SendPasswordResetLinkDto)
  sendLink?: SendPasswordResetLinkDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnPasswordResetCodeDto)
  returnCode?: ReturnPasswordResetCodeDto;
}

/** `newPassword` of SetPasswordRequest. The length policy is the password policy's. */
export class NewPasswordDto {
  @IsDefined()
  @IsString()
  @MaxLength(1024)
  password!: string;

  @IsOptional()
  @IsBoolean()
  changeRequired?: boolean;
}

/** `hashedPassword`: a hash made elsewhere (argon2id PHC string or bcrypt), checked at login. */
export class HashedPasswordDto {
  @IsDefined()
  @IsString()
  @Length(1, 200)
  hash!: string;

  @IsOptional()
  @IsBoolean()
  changeRequired?: boolean;
}

/** SetPasswordRequest. */
export class SetPasswordDto extends UserScopedDto {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NewPasswordDto)
  newPassword?: NewPasswordDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HashedPasswordDto)
  hashedPassword?: HashedPasswordDto;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  currentPassword?: string;

  @IsOptional()
  @IsString()
  @Length(1, 20)
  verificationCode?: string;
}

/**
 * The member of a oneof group that is set (`null` counts as unset, as in protobuf JSON), or
 * undefined; more than one set is InvalidArgument.
 */
export function oneofMember<T extends object>(body: T, members: readonly (keyof T & string)[]): (keyof T & string) | undefined {
  const set = members.filter((member) => body[member] !== undefined && body[member] !== null);
  if (set.length > 1) {
    throw zitadelErrors.invalidArgument(`invalid request: only one of ${members.join(', ')} may be set`);
  }
  return set[0];
}

/** `profile` of AddHumanUserRequest (`SetHumanProfile`). */
export class SetHumanProfileDto {
  @IsDefined()
  @IsString()
  @Length(1, 200)
  givenName!: string;

  @IsDefined()
  @IsString()
  @Length(1, 200)
  familyName!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  nickName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10)
  preferredLanguage?: string;

  @IsOptional()
  gender?: string | number;
}

/** `email` of AddHumanUserRequest (`SetHumanEmail`). */
export class SetHumanEmailDto {
  @IsDefined()
  @IsString()
  @Length(1, 200)
  email!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SendEmailVerificationCodeDto)
  sendCode?: SendEmailVerificationCodeDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnEmailVerificationCodeDto)
  returnCode?: ReturnEmailVerificationCodeDto;

  @IsOptional()
  @IsBoolean()
  isVerified?: boolean;
}

/** `phone` of AddHumanUserRequest; only the number is kept (we never verify phones). */
export class SetHumanPhoneDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  phone?: string;
}

/** `password` of AddHumanUserRequest (`Password`). */
export class AddHumanPasswordDto {
  @IsDefined()
  @IsString()
  @MaxLength(1024)
  password!: string;

  @IsOptional()
  @IsBoolean()
  changeRequired?: boolean;
}

/** AddHumanUserRequest (`POST /v2/users/human`). */
export class AddHumanUserDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  userId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  username?: string;

  @IsOptional()
  @IsObject()
  organization?: Record<string, unknown>;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SetHumanProfileDto)
  profile!: SetHumanProfileDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SetHumanEmailDto)
  email!: SetHumanEmailDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SetHumanPhoneDto)
  phone?: SetHumanPhoneDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddHumanPasswordDto)
  password?: AddHumanPasswordDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HashedPasswordDto)
  hashedPassword?: HashedPasswordDto;

  /** Refused when not empty: we keep no user metadata, IdP links or TOTP secrets through this face. */
  @IsOptional()
  metadata?: unknown[];

  @IsOptional()
  idpLinks?: unknown[];

  @IsOptional()
  @IsString()
  totpSecret?: string;
}
