import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, ValidateNested } from 'class-validator';
import { BIO_MAX_LENGTH, IsDisplayName, IsPlainText, IsStringMap, PHONE_MAX_LENGTH } from './user-field.validators';

/** The part of `metadata` UpdateCurrentUser reads. */
export class CurrentUserMetadataDto {
  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsStringMap()
  annotations?: Record<string, string>;
}

/** The part of `spec` a user may change about itself. */
export class CurrentUserSpecDto {
  @IsOptional()
  @IsDisplayName()
  displayName?: string;

  @IsOptional()
  @IsPlainText(BIO_MAX_LENGTH, true)
  bio?: string;

  @IsOptional()
  @IsPlainText(PHONE_MAX_LENGTH)
  phone?: string;

  @IsOptional()
  @IsBoolean()
  twoFactorAuthEnabled?: boolean;
}

/**
 * Body of UpdateCurrentUser: a whole Halo `User`, of which only these fields are read (everything
 * else, e.g. email, avatar, password or disabled, is ignored as in Halo).
 */
export class UpdateCurrentUserDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => CurrentUserMetadataDto)
  metadata?: CurrentUserMetadataDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => CurrentUserSpecDto)
  spec?: CurrentUserSpecDto;
}
