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

  @ApiPropertyOptional({ maxLength: 20, example: '042917', description: 'A login code (templateId 7); required here' })
  @IsOptional()
  @IsString({ message: 'verifyCode must be a string' })
  @MaxLength(20, { message: 'verifyCode must be at most 20 characters' })
  verifyCode?: string;

  @ApiPropertyOptional({ maxLength: 1024, example: '', description: 'Not accepted here: passwords log in through POST /login (leave it out)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored', example: '' })
  @IsOptional()
  @IsString()
  deviceToken?: string;
}
