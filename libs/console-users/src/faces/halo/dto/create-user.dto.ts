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
} from './user-field.validators';

/** Body of CreateUser (Halo's `CreateUserRequest`), validated on the server. */
export class CreateUserDto {
  @IsUsername({ requiredMessage: 'Name is required' })
  name!: string;

  @IsUserEmail({ requiredMessage: 'Email is required' })
  email!: string;

  /** Blank means "same as the name", as in Halo. */
  @IsOptional()
  @IsDisplayName()
  displayName?: string;

  @IsOptional()
  @IsAvatarUrl()
  avatar?: string;

  @IsOptional()
  @IsPlainText(PHONE_MAX_LENGTH)
  phone?: string;

  /** Without one the account cannot log in with a password until an admin sets it. */
  @IsOptional()
  @IsNewPassword()
  password?: string;

  @IsOptional()
  @IsUserText(BIO_MAX_LENGTH, true)
  bio?: string;

  @IsOptional()
  @IsStringMap()
  annotations?: Record<string, string>;

  /** Halo fails with a 500 when absent; here absent means no role. */
  @IsOptional()
  @IsRoleNames()
  roles?: string[];
}
