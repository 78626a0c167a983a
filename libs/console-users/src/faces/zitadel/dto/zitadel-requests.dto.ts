import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiPropertyOptional({ maxLength: 200, example: '2', description: 'Repeats the path user id (grpc-gateway clients send it); ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  userId?: string;
}

/** `sendCode`: mail the code, optionally inside the caller's link. */
export class SendEmailVerificationCodeDto {
  @ApiPropertyOptional({ maxLength: 2048, example: 'https://app.example.com/verify?userID={{.UserID}}&code={{.Code}}', description: 'Go template of the link in the mail (.UserID, .Code, .OrgID, .LoginName, .DisplayName)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  urlTemplate?: string;
}

/** `returnCode`: no mail; the code comes back in the response. */
export class ReturnEmailVerificationCodeDto {}

/** SetEmailRequest. */
export class SetEmailDto extends UserScopedDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'jane.new@example.com', format: 'email' })
  @IsDefined()
  @IsString()
  @Length(1, 200)
  email!: string;

  @ApiPropertyOptional({ type: () => SendEmailVerificationCodeDto, description: 'oneof verification: mail the code (the default when none is set)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SendEmailVerificationCodeDto)
  sendCode?: SendEmailVerificationCodeDto;

  @ApiPropertyOptional({ type: () => ReturnEmailVerificationCodeDto, description: 'oneof verification: no mail, the code comes back in the response (code-returning permission)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnEmailVerificationCodeDto)
  returnCode?: ReturnEmailVerificationCodeDto;

  @ApiPropertyOptional({ example: false, description: 'oneof verification: set the address as verified (admin permission)' })
  @IsOptional()
  @IsBoolean()
  isVerified?: boolean;
}

/** SendEmailCodeRequest and ResendEmailCodeRequest. */
export class SendEmailCodeDto extends UserScopedDto {
  @ApiPropertyOptional({ type: () => SendEmailVerificationCodeDto, description: 'oneof verification: mail the code (the default)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SendEmailVerificationCodeDto)
  sendCode?: SendEmailVerificationCodeDto;

  @ApiPropertyOptional({ type: () => ReturnEmailVerificationCodeDto, description: 'oneof verification: return the code instead of mailing it' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnEmailVerificationCodeDto)
  returnCode?: ReturnEmailVerificationCodeDto;
}

/** VerifyEmailRequest. */
export class VerifyEmailDto extends UserScopedDto {
  @ApiProperty({ minLength: 1, maxLength: 20, example: '042917' })
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
  @ApiPropertyOptional({ enum: ['NOTIFICATION_TYPE_Unspecified', 'NOTIFICATION_TYPE_Email', 'NOTIFICATION_TYPE_SMS'], example: 'NOTIFICATION_TYPE_Email', description: 'By name or number (0, 1, 2)' })
  @IsOptional()
  @IsIn(NOTIFICATION_TYPES)
  notificationType?: (typeof NOTIFICATION_TYPES)[number];

  @ApiPropertyOptional({ maxLength: 2048, example: 'https://app.example.com/reset?userID={{.UserID}}&code={{.Code}}' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  urlTemplate?: string;
}

/** `returnCode` of PasswordResetRequest. */
export class ReturnPasswordResetCodeDto {}

/** PasswordResetRequest. */
export class PasswordResetDto extends UserScopedDto {
  @ApiPropertyOptional({ type: () => SendPasswordResetLinkDto, description: 'oneof medium: send the code (the default)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SendPasswordResetLinkDto)
  sendLink?: SendPasswordResetLinkDto;

  @ApiPropertyOptional({ type: () => ReturnPasswordResetCodeDto, description: 'oneof medium: return the code (code-returning permission)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnPasswordResetCodeDto)
  returnCode?: ReturnPasswordResetCodeDto;
}

/** `newPassword` of SetPasswordRequest. The length policy is the password policy's. */
export class NewPasswordDto {
  @ApiProperty({ maxLength: 1024, example: 'a-new-long-password', format: 'password', description: '8 to 128 characters' })
  @IsDefined()
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  changeRequired?: boolean;
}

/** `hashedPassword`: a hash made elsewhere (argon2id PHC string or bcrypt), checked at login. */
export class HashedPasswordDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    example: '$2b$10$6Y634.Ca3p6LEACKOLOBOO1qI9OrJTjMC3G9viZFngTJNK2btw1uC',
    description: 'argon2id PHC string or bcrypt ($2a$/$2b$/$2y$, cost 4–13); the example is bcrypt of `an-imported-password`',
  })
  @IsDefined()
  @IsString()
  @Length(1, 200)
  hash!: string;

  @ApiPropertyOptional({ example: false, description: 'The user must choose a new password after logging in' })
  @IsOptional()
  @IsBoolean()
  changeRequired?: boolean;
}

/** SetPasswordRequest. */
export class SetPasswordDto extends UserScopedDto {
  @ApiPropertyOptional({ type: () => NewPasswordDto, description: 'oneof password: a new password checked against the policy' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NewPasswordDto)
  newPassword?: NewPasswordDto;

  @ApiPropertyOptional({ type: () => HashedPasswordDto, description: 'A hash made elsewhere (argon2id PHC string or bcrypt), checked at login and replaced by ours then' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HashedPasswordDto)
  hashedPassword?: HashedPasswordDto;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, format: 'password', example: 'the-current-password', description: 'oneof verification: the current password (self-service)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  currentPassword?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 20, example: '042917', description: 'oneof verification: the reset code (no authentication needed)' })
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
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Jane' })
  @IsDefined()
  @IsString()
  @Length(1, 200)
  givenName!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Doe' })
  @IsDefined()
  @IsString()
  @Length(1, 200)
  familyName!: string;

  @ApiPropertyOptional({ maxLength: 200, example: '', description: 'Accepted and ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nickName?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Jane Doe', description: 'Blank: givenName and familyName' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ maxLength: 10, example: 'en', description: 'Accepted and ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  preferredLanguage?: string;

  @ApiPropertyOptional({
    enum: ['GENDER_UNSPECIFIED', 'GENDER_FEMALE', 'GENDER_MALE', 'GENDER_DIVERSE'],
    example: 'GENDER_UNSPECIFIED',
    description: 'By name or number; accepted and ignored',
  })
  @IsOptional()
  gender?: string | number;
}

/** `email` of AddHumanUserRequest (`SetHumanEmail`). */
export class SetHumanEmailDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'jane@example.com', format: 'email' })
  @IsDefined()
  @IsString()
  @Length(1, 200)
  email!: string;

  @ApiPropertyOptional({ type: () => SendEmailVerificationCodeDto, description: 'oneof verification: mail the code (the default when none is set)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SendEmailVerificationCodeDto)
  sendCode?: SendEmailVerificationCodeDto;

  @ApiPropertyOptional({ type: () => ReturnEmailVerificationCodeDto, description: 'oneof verification: no mail, the code comes back as emailCode (code-returning permission)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnEmailVerificationCodeDto)
  returnCode?: ReturnEmailVerificationCodeDto;

  @ApiPropertyOptional({ example: true, description: 'oneof verification: the address is verified by the creator (admin permission); only true' })
  @IsOptional()
  @IsBoolean()
  isVerified?: boolean;
}

/** `phone` of AddHumanUserRequest; only the number is kept (we never verify phones). */
export class SetHumanPhoneDto {
  @ApiPropertyOptional({ maxLength: 200, example: '+14155550123' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  phone?: string;
}

/** `password` of AddHumanUserRequest (`Password`). */
export class AddHumanPasswordDto {
  @ApiProperty({ maxLength: 1024, example: 'a-new-long-password', format: 'password', description: '8 to 128 characters' })
  @IsDefined()
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ example: false, description: 'The user must choose a new password after logging in' })
  @IsOptional()
  @IsBoolean()
  changeRequired?: boolean;
}

/** AddHumanUserRequest (`POST /v2/users/human`). */
export class AddHumanUserDto {
  @ApiPropertyOptional({ maxLength: 200, example: '', description: 'Refused when set: the server assigns the id' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  userId?: string;

  @ApiProperty({ maxLength: 63, example: 'jane', description: 'Required here: the login name (lower-case letters, digits, - and .)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {}, description: 'Accepted and ignored: there is one organization' })
  @IsOptional()
  @IsObject()
  organization?: Record<string, unknown>;

  @ApiProperty({ type: () => SetHumanProfileDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SetHumanProfileDto)
  profile!: SetHumanProfileDto;

  @ApiProperty({ type: () => SetHumanEmailDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SetHumanEmailDto)
  email!: SetHumanEmailDto;

  @ApiPropertyOptional({ type: () => SetHumanPhoneDto, description: 'Kept as the phone number, never verified' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SetHumanPhoneDto)
  phone?: SetHumanPhoneDto;

  @ApiPropertyOptional({ type: () => AddHumanPasswordDto, description: 'oneof password_type: a password checked against the policy' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddHumanPasswordDto)
  password?: AddHumanPasswordDto;

  @ApiPropertyOptional({ type: () => HashedPasswordDto, description: 'oneof password_type: a hash made elsewhere, checked at login and replaced by ours then' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HashedPasswordDto)
  hashedPassword?: HashedPasswordDto;

  /** Refused when not empty: we keep no user metadata, IdP links or TOTP secrets through this face. */
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, example: [], description: 'Refused when not empty' })
  @IsOptional()
  metadata?: unknown[];

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, example: [], description: 'Refused when not empty' })
  @IsOptional()
  idpLinks?: unknown[];

  @ApiPropertyOptional({ example: '', description: 'Refused when not empty' })
  @IsOptional()
  @IsString()
  totpSecret?: string;
}
