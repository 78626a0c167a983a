import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { FresnsAccount, FresnsAccountType, FresnsCountryCode } from './fresns-fields.decorator';

/** Body of Fresns' `POST /api/v2/account/login` (the code form; templateId 7 codes). */
export class AccountLoginDto {
  @FresnsAccountType()
  type!: 'email' | 'phone';

  @FresnsAccount()
  account!: string;

  @FresnsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({ description: 'A login code (templateId 7)' })
  @IsOptional()
  @IsString({ message: 'verifyCode must be a string' })
  @MaxLength(20, { message: 'verifyCode must be at most 20 characters' })
  verifyCode?: string;

  @ApiPropertyOptional({ description: 'Not accepted here: passwords log in through POST /login' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored' })
  @IsOptional()
  @IsString()
  deviceToken?: string;
}
