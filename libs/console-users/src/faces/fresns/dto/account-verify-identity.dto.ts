import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn } from 'class-validator';
import { FresnsVerifyCode } from './fresns-fields.decorator';

/** Body of Fresns' `POST /api/v2/account/verify-identity`. */
export class AccountVerifyIdentityDto {
  @ApiProperty({ enum: ['email', 'sms'], example: 'email' })
  @IsDefined({ message: 'type is required' })
  @IsIn(['email', 'sms'], { message: 'type must be email or sms' })
  type!: 'email' | 'sms';

  @FresnsVerifyCode()
  verifyCode!: string;
}
