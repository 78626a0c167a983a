import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNewPassword } from './user-field.validators';

/** Body of ChangeOwnPassword. */
export class ChangeOwnPasswordDto {
  /** Halo treats a missing one as a mismatch (or accepts anything for an account without a password). */
  @IsOptional()
  @MaxLength(1024, { message: 'oldPassword is too long' })
  @IsString({ message: 'oldPassword must be a string' })
  oldPassword?: string;

  @IsNewPassword()
  password!: string;
}
