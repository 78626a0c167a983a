import { IsDefined, IsString, MaxLength, MinLength } from 'class-validator';

/** Halo's `VerifyCodeRequest`: the current password and the mailed code. */
export class VerifyCodeRequestDto {
  @IsDefined({ message: 'Password is required' })
  @IsString()
  @MaxLength(1024)
  password!: string;

  @IsDefined({ message: 'Code is required' })
  @IsString()
  @MinLength(1, { message: 'Code is required' })
  @MaxLength(20)
  code!: string;
}
