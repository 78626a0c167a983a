import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNewPassword } from './user-field.validators';

/** Body of ChangeOwnPassword. */
export class ChangeOwnPasswordDto {
  /** Halo treats a missing one as a mismatch (or accepts anything for an account without a password). */
  @ApiPropertyOptional({ example: 'the-current-password', format: 'password', maxLength: 1024 })
  @IsOptional()
  @MaxLength(1024, { message: 'oldPassword is too long' })
  @IsString({ message: 'oldPassword must be a string' })
  oldPassword?: string;

  @ApiProperty({ example: 'a-new-long-password', format: 'password', minLength: 8, maxLength: 128 })
  @IsNewPassword()
  password!: string;
}
