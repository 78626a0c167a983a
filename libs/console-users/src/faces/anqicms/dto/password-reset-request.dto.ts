import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of AnqiCMS' `POST /api/password/reset` (JSON, or the form of our reset page). */
export class PasswordResetRequestDto {
  @ApiProperty({ format: 'email', example: 'jane@example.com' })
  @IsDefined({ message: 'email is required' })
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email!: string;

  @ApiProperty({ description: 'The token of the mailed link', example: 'Zk3qB2…' })
  @IsDefined({ message: 'token is required' })
  @IsString({ message: 'token must be a string' })
  @MaxLength(128, { message: 'token is not valid' })
  token!: string;

  @ApiProperty({ description: 'The code of the mailed link', example: '042917' })
  @IsDefined({ message: 'code is required' })
  @IsString({ message: 'code must be a string' })
  @MaxLength(20, { message: 'code is not valid' })
  code!: string;

  @ApiProperty({ format: 'password', example: 'a-new-long-password', description: '8 to 128 characters' })
  @IsDefined({ message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  @MaxLength(1024, { message: 'password is too long' })
  password!: string;

  @ApiPropertyOptional({ format: 'password', example: 'a-new-long-password', description: 'Repeat of the password (the reset page sends it)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  confirmPassword?: string;
}
