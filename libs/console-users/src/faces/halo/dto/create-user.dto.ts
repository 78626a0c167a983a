import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  BIO_MAX_LENGTH,
  IsAvatarUrl,
  IsDisplayName,
  IsNewPassword,
  IsPlainText,
  IsUserText,
  IsRoleNames,
  IsStringMap,
  IsUserEmail,
  IsUsername,
  PHONE_MAX_LENGTH,
  USERNAME_PATTERN,
} from './user-field.validators';

/** Body of CreateUser (Halo's `CreateUserRequest`), validated on the server. */
export class CreateUserDto {
  @ApiProperty({ example: 'jane', maxLength: 63, pattern: USERNAME_PATTERN.source, description: 'Login name (metadata.name): lower-case letters, digits, - and .' })
  @IsUsername({ requiredMessage: 'Name is required' })
  name!: string;

  @ApiProperty({ example: 'jane@example.com', format: 'email', maxLength: 254 })
  @IsUserEmail({ requiredMessage: 'Email is required' })
  email!: string;

  /** Blank means "same as the name", as in Halo. */
  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 255, description: 'Blank: same as the name' })
  @IsOptional()
  @IsDisplayName()
  displayName?: string;

  @ApiPropertyOptional({ example: 'https://www.gravatar.com/avatar/00000000000000000000000000000000', maxLength: 1024, description: 'http(s) URL or a path on this server' })
  @IsOptional()
  @IsAvatarUrl()
  avatar?: string;

  @ApiPropertyOptional({ example: '+14155550123', maxLength: 64 })
  @IsOptional()
  @IsPlainText(PHONE_MAX_LENGTH)
  phone?: string;

  /** Without one the account cannot log in with a password until an admin sets it. */
  @ApiPropertyOptional({ example: 'correct-horse-battery', format: 'password', minLength: 8, maxLength: 128, description: 'Without one the account cannot log in with a password until an admin sets it' })
  @IsOptional()
  @IsNewPassword()
  password?: string;

  @ApiPropertyOptional({ example: 'Editor of the travel section.', maxLength: 4096 })
  @IsOptional()
  @IsUserText(BIO_MAX_LENGTH, true)
  bio?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: {} })
  @IsOptional()
  @IsStringMap()
  annotations?: Record<string, string>;

  /** Halo fails with a 500 when absent; here absent means no role. */
  @ApiPropertyOptional({ type: [String], maxItems: 100, example: ['role-template-view-users'], description: 'Role names; only roles the caller holds itself (or super-role callers) may be granted' })
  @IsOptional()
  @IsRoleNames()
  roles?: string[];
}
