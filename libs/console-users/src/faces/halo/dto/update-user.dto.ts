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
  @IsString({ message: 'name is required' })
  name!: string;

  /** The optimistic-lock token: the version the client read. */
  @Min(0)
  @IsInt({ message: 'version is required for an update' })
  version!: number;

  @IsOptional()
  @IsStringMap()
  labels?: Record<string, string>;

  @IsOptional()
  @IsStringMap()
  annotations?: Record<string, string>;
}

/**
 * The writable part of `spec`. Password, TOTP secret, 2FA flag, `disabled` and `registeredAt` are
 * not writable here: they have their own operations with their own checks.
 */
export class UserSpecDto {
  @IsDefined({ message: 'displayName is required' })
  @IsDisplayName()
  displayName!: string;

  /** Halo's edit form sends `""` for a user without an address: no email, as in Halo. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsUserEmail()
  email?: string;

  @IsOptional()
  @IsBoolean()
  emailVerified?: boolean;

  @IsOptional()
  @IsAvatarUrl()
  avatar?: string;

  @IsOptional()
  @IsPlainText(PHONE_MAX_LENGTH)
  phone?: string;

  @IsOptional()
  @IsUserText(BIO_MAX_LENGTH, true)
  bio?: string;

  @IsOptional()
  @Min(0)
  @IsInt()
  loginHistoryLimit?: number;
}

/** Body of the core `PUT /api/v1alpha1/users/{name}`: a whole Halo `User`. */
export class UpdateUserDto {
  @IsDefined({ message: 'metadata is required' })
  @ValidateNested()
  @Type(() => UserMetadataDto)
  metadata!: UserMetadataDto;

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
