import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, ValidateNested } from 'class-validator';
import { IsStringMap, IsUsername, USERNAME_PATTERN } from './user-field.validators';
import { UserSpecDto } from './update-user.dto';

/** `metadata` of a new core `User`: the name and the maps a client may set. */
export class CoreUserMetadataDto {
  @ApiProperty({ example: 'jane', maxLength: 63, pattern: USERNAME_PATTERN.source, description: 'Login name: lower-case letters, digits, - and .' })
  @IsUsername({ requiredMessage: 'metadata.name is required' })
  name!: string;

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
 * Body of the core `POST /api/v1alpha1/users`: a whole Halo `User`. The writable spec is the
 * core PUT's; `spec.password` (an encoded hash in Halo) and the other secrets are not read:
 * passwords are set through the password operations, which apply the policy and end sessions.
 */
export class CreateCoreUserDto {
  @ApiProperty({ type: () => CoreUserMetadataDto })
  @IsDefined({ message: 'metadata is required' })
  @ValidateNested()
  @Type(() => CoreUserMetadataDto)
  metadata!: CoreUserMetadataDto;

  @ApiProperty({ type: () => UserSpecDto, description: 'Password, 2FA, disabled and registeredAt are not read here' })
  @IsDefined({ message: 'spec is required' })
  @ValidateNested()
  @Type(() => UserSpecDto)
  spec!: UserSpecDto;
}
