import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength } from 'class-validator';
import { FresnsAccount, FresnsAccountType, FresnsCountryCode, FresnsPassword, FresnsVerifyCode } from './fresns-fields.decorator';

/** Body of Fresns' `POST /api/v2/account/register`. */
export class AccountRegisterDto {
  @FresnsAccountType()
  type!: 'email' | 'phone';

  @FresnsAccount()
  account!: string;

  @FresnsCountryCode()
  countryCode?: string;

  @FresnsVerifyCode()
  verifyCode!: string;

  @FresnsPassword('password', 'base64 of the password')
  password!: string;

  @ApiProperty({ example: 'Jane' })
  @IsDefined({ message: 'nickname is required' })
  @IsString({ message: 'nickname must be a string' })
  @MaxLength(256, { message: 'nickname is too long' })
  nickname!: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored', example: '' })
  @IsOptional()
  @IsString()
  deviceToken?: string;
}
