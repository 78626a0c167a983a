import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength, MinLength } from 'class-validator';

/** Halo's `VerifyCodeRequest`: the current password and the mailed code. */
export class VerifyCodeRequestDto {
  @ApiProperty({ example: 'the-current-password', format: 'password', maxLength: 1024, description: 'The current password' })
  @IsDefined({ message: 'Password is required' })
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiProperty({ example: '042917', maxLength: 20, description: 'The mailed code' })
  @IsDefined({ message: 'Code is required' })
  @IsString()
  @MinLength(1, { message: 'Code is required' })
  @MaxLength(20)
  code!: string;
}
