import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { FresnsCountryCode, FresnsVerifyCode } from './fresns-fields.decorator';

/**
 * Body of Fresns' `PUT /api/v2/account/edit`, the part that binds a new address with a
 * templateId 3 code: `newEmail`, or `newPhone` with `newCountryCode`, and `newVerifyCode`.
 */
export class AccountEditDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'newEmail must be a string' })
  @MaxLength(254, { message: 'newEmail must be at most 254 characters' })
  newEmail?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'newPhone must be a string' })
  @MaxLength(32, { message: 'newPhone must be at most 32 characters' })
  newPhone?: string;

  @FresnsCountryCode('Calling code of newPhone')
  newCountryCode?: string;

  @FresnsVerifyCode()
  newVerifyCode!: string;
}
