import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { FresnsCountryCode } from './fresns-fields.decorator';

/** Body of Fresns' `POST /api/v2/common/send-verify-code`. */
export class SendVerifyCodeDto {
  @ApiProperty({ enum: ['email', 'sms'], example: 'email' })
  @IsDefined({ message: 'type is required' })
  @IsIn(['email', 'sms'], { message: 'type must be email or sms' })
  type!: 'email' | 'sms';

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 1, description: '1 new account, 2 existing account, 3 fill in the blank, 4 identity check, 5 direct' })
  @IsDefined({ message: 'useType is required' })
  @Type(() => Number)
  @IsInt({ message: 'useType must be an integer from 1 to 5' })
  @Min(1, { message: 'useType must be an integer from 1 to 5' })
  @Max(5, { message: 'useType must be an integer from 1 to 5' })
  useType!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 8, example: 2, description: '1 general, 2 register, 3 edit, 4 change, 5 reset password, 6 reset wallet password, 7 login, 8 delete account' })
  @IsDefined({ message: 'templateId is required' })
  @Type(() => Number)
  @IsInt({ message: 'templateId must be an integer from 1 to 8' })
  @Min(1, { message: 'templateId must be an integer from 1 to 8' })
  @Max(8, { message: 'templateId must be an integer from 1 to 8' })
  templateId!: number;

  @ApiPropertyOptional({ example: 'jane@example.com', description: 'Email address or phone number; required except for useType 4' })
  @IsOptional()
  @IsString({ message: 'account must be a string' })
  @MaxLength(254, { message: 'account must be at most 254 characters' })
  account?: string;

  @FresnsCountryCode('Country calling code (86, 1, …); required for sms except useType 4')
  countryCode?: string;
}
