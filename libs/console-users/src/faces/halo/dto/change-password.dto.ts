import { IsNewPassword } from './user-field.validators';

/** Body of ChangeAnyonePassword. */
export class ChangePasswordDto {
  @IsNewPassword()
  password!: string;
}
