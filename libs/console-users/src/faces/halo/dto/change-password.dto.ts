import { ApiProperty } from '@nestjs/swagger';
import { IsNewPassword } from './user-field.validators';

/** Body of ChangeAnyonePassword. */
export class ChangePasswordDto {
  @ApiProperty({ example: 'a-new-long-password', format: 'password', minLength: 8, maxLength: 128 })
  @IsNewPassword()
  password!: string;
}
