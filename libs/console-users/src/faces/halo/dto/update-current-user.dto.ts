import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { DomainError } from '../../../errors/domain-error';
import { ErrorCode } from '../../../errors/error-code';
import type { ProfileUpdate } from '../../../users/current-user.service';
import { IsBoolean, IsOptional, IsString, ValidateNested } from 'class-validator';
import { BIO_MAX_LENGTH, IsDisplayName, IsPlainText, IsUserText, IsStringMap, PHONE_MAX_LENGTH } from './user-field.validators';

/** The part of `metadata` UpdateCurrentUser reads. */
export class CurrentUserMetadataDto {
  @ApiProperty({ example: 'jane', description: "Must be the caller's own name" })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: {} })
  @IsOptional()
  @IsStringMap()
  annotations?: Record<string, string>;
}

/** The part of `spec` a user may change about itself. */
export class CurrentUserSpecDto {
  @ApiProperty({ example: 'Jane Doe', maxLength: 255 })
  @IsOptional()
  @IsDisplayName()
  displayName?: string;

  @ApiPropertyOptional({ example: 'Editor of the travel section.', maxLength: 4096 })
  @IsOptional()
  @IsUserText(BIO_MAX_LENGTH, true)
  bio?: string;

  @ApiPropertyOptional({ example: '+14155550123', maxLength: 64 })
  @IsOptional()
  @IsPlainText(PHONE_MAX_LENGTH)
  phone?: string;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  twoFactorAuthEnabled?: boolean;
}

/**
 * Body of UpdateCurrentUser: a whole Halo `User`, of which only these fields are read (everything
 * else, e.g. email, avatar, password or disabled, is ignored as in Halo).
 */
export class UpdateCurrentUserDto {
  @ApiProperty({ type: () => CurrentUserMetadataDto, description: 'metadata.name is required and must be the caller' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CurrentUserMetadataDto)
  metadata?: CurrentUserMetadataDto;

  @ApiProperty({ type: () => CurrentUserSpecDto, description: 'Other fields of a whole User (email, avatar, disabled…) are ignored' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CurrentUserSpecDto)
  spec?: CurrentUserSpecDto;
}

/** The core's profile change from Halo's body, with Halo's checks: the name must be the caller's, a display name is required. */
export function toProfileUpdate(body: UpdateCurrentUserDto, callerName: string): ProfileUpdate {
  if (body.metadata?.name !== callerName) {
    throw new DomainError(ErrorCode.BadRequest, "Username didn't match.");
  }
  const spec = body.spec;
  if (spec?.displayName === undefined || spec.displayName.trim() === '') {
    throw new DomainError(ErrorCode.BadRequest, 'spec.displayName is required');
  }
  return {
    displayName: spec.displayName,
    bio: spec.bio,
    phone: spec.phone,
    twoFactorAuthEnabled: spec.twoFactorAuthEnabled,
    annotations: body.metadata?.annotations,
  };
}
