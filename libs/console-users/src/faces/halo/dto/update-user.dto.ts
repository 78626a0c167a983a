import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { DomainError } from '../../../errors/domain-error';
import { ErrorCode } from '../../../errors/error-code';
import type { AccountUpdate } from '../../../users/user-accounts.service';
import { IsBoolean, IsDefined, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import {
  BIO_MAX_LENGTH,
  IsAvatarUrl,
  IsDisplayName,
  IsPlainText,
  IsUserText,
  IsStringMap,
  IsUserEmail,
  PHONE_MAX_LENGTH,
} from './user-field.validators';

/** The part of `metadata` the core update reads. */
export class UserMetadataDto {
  @ApiProperty({ example: 'jane', description: 'Must be the name in the path' })
  @IsString({ message: 'name is required' })
  name!: string;

  /** The optimistic-lock token: the version the client read. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 3, description: 'The version read: a stale one is a 409' })
  @Min(0)
  @IsInt({ message: 'version is required for an update' })
  version!: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: {} })
  @IsOptional()
  @IsStringMap()
  labels?: Record<string, string>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: {} })
  @IsOptional()
  @IsStringMap()
  annotations?: Record<string, string>;
}

/**
 * The writable part of `spec`. Password, TOTP secret, 2FA flag, `disabled` and `registeredAt` are
 * not writable here: they have their own operations with their own checks.
 */
export class UserSpecDto {
  @ApiProperty({ example: 'Jane Doe', maxLength: 255 })
  @IsDefined({ message: 'displayName is required' })
  @IsDisplayName()
  displayName!: string;

  /** Halo's edit form sends `""` for a user without an address: no email, as in Halo. */
  @ApiPropertyOptional({ example: 'jane@example.com', format: 'email', maxLength: 254 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsUserEmail()
  email?: string;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  emailVerified?: boolean;

  @ApiPropertyOptional({ example: '/avatars/jane-1a2b3c.png', maxLength: 1024 })
  @IsOptional()
  @IsAvatarUrl()
  avatar?: string;

  @ApiPropertyOptional({ example: '+14155550123', maxLength: 64 })
  @IsOptional()
  @IsPlainText(PHONE_MAX_LENGTH)
  phone?: string;

  @ApiPropertyOptional({ example: 'Editor of the travel section.', maxLength: 4096 })
  @IsOptional()
  @IsUserText(BIO_MAX_LENGTH, true)
  bio?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, example: 10 })
  @IsOptional()
  @Min(0)
  @IsInt()
  loginHistoryLimit?: number;
}

/** Body of the core `PUT /api/v1alpha1/users/{name}`: a whole Halo `User`. */
export class UpdateUserDto {
  @ApiProperty({ type: () => UserMetadataDto })
  @IsDefined({ message: 'metadata is required' })
  @ValidateNested()
  @Type(() => UserMetadataDto)
  metadata!: UserMetadataDto;

  @ApiProperty({ type: () => UserSpecDto, description: 'Password, 2FA, disabled and registeredAt are not writable here' })
  @IsDefined({ message: 'spec is required' })
  @ValidateNested()
  @Type(() => UserSpecDto)
  spec!: UserSpecDto;
}

/** The core's account update from Halo's `User` body; the path names the user, so must the body. */
export function toAccountUpdate(body: UpdateUserDto, pathName: string): AccountUpdate {
  if (body.metadata.name !== pathName) {
    throw new DomainError(ErrorCode.BadRequest, 'The name in the path and in metadata.name must be the same.');
  }
  const { metadata, spec } = body;
  return {
    version: metadata.version,
    displayName: spec.displayName,
    email: spec.email,
    emailVerified: spec.emailVerified,
    avatar: spec.avatar,
    phone: spec.phone,
    bio: spec.bio,
    loginHistoryLimit: spec.loginHistoryLimit,
    labels: metadata.labels,
    annotations: metadata.annotations,
  };
}
