import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength, MinLength } from 'class-validator';

/** Body of Halo's `send-password-reset-email`: the account's name and its email address. */
export class PasswordResetEmailRequestDto {
  @ApiProperty({ description: 'The account name (metadata.name)', maxLength: 253, example: 'jane' })
  @IsDefined({ message: 'username is required' })
  @IsString({ message: 'username must be a string' })
  @MinLength(1, { message: 'username is required' })
  @MaxLength(253, { message: 'username must be at most 253 characters' })
  username!: string;

  @ApiProperty({ description: "The account's email address", maxLength: 254, format: 'email', example: 'jane@example.com' })
  @IsDefined({ message: 'email is required' })
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email!: string;
}

/** Body of Halo's `reset-password`: the new password and the token of the mailed link. */
export class ResetPasswordRequestDto {
  @ApiProperty({ description: 'The new password (8 to 128 characters)', format: 'password', example: 'a-new-long-password' })
  @IsDefined({ message: 'newPassword is required' })
  @IsString({ message: 'newPassword must be a string' })
  @MaxLength(1024, { message: 'newPassword is too long' })
  newPassword!: string;

  @ApiProperty({ description: 'The reset_password_token of the mailed link', maxLength: 128, example: 'Zk3qB2…' })
  @IsDefined({ message: 'token is required' })
  @IsString({ message: 'token must be a string' })
  @MaxLength(128, { message: 'token is not valid' })
  token!: string;
}
