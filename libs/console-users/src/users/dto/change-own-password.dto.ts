import { IsString, MaxLength } from 'class-validator';
import { IsNewPassword } from './user-field.validators';

/** Body of ChangeOwnPassword. */
export class ChangeOwnPasswordDto {
  @IsString({ message: 'oldPassword is required' })
  @MaxLength(1024, { message: 'oldPassword is too long' })
  oldPassword!: string;

  @IsNewPassword()
  password!: string;
}
