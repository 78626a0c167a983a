import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn, IsString, MaxLength } from 'class-validator';

/** Body of Fresns' `POST /api/v2/account/verify-identity`. */
export class AccountVerifyIdentityDto {
  @ApiProperty({ enum: ['email', 'sms'] })
  @IsDefined({ message: 'type is required' })
  @IsIn(['email', 'sms'], { message: 'type must be email or sms' })
  type!: 'email' | 'sms';

  @ApiProperty()
  @IsDefined({ message: 'verifyCode is required' })
  @IsString({ message: 'verifyCode must be a string' })
  @MaxLength(20, { message: 'verifyCode must be at most 20 characters' })
  verifyCode!: string;
}
