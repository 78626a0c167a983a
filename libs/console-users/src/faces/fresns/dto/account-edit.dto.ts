import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { FresnsCountryCode, FresnsVerifyCode } from './fresns-fields.decorator';

/**
 * Body of Fresns' `PUT /api/v2/account/edit`, the part that binds a new address with a
 * templateId 3 code: `newEmail`, or `newPhone` with `newCountryCode`, and `newVerifyCode`.
 */
export class AccountEditDto {
  @ApiPropertyOptional({ maxLength: 254, example: 'jane@example.com', description: 'The email to bind (or newPhone, not both)' })
  @IsOptional()
  @IsString({ message: 'newEmail must be a string' })
  @MaxLength(254, { message: 'newEmail must be at most 254 characters' })
  newEmail?: string;

  @ApiPropertyOptional({ maxLength: 32, example: '4155550123', description: 'The phone number to bind, without the calling code (or newEmail, not both)' })
  @IsOptional()
  @IsString({ message: 'newPhone must be a string' })
  @MaxLength(32, { message: 'newPhone must be at most 32 characters' })
  newPhone?: string;

  @FresnsCountryCode('Calling code of newPhone')
  newCountryCode?: string;

  @FresnsVerifyCode()
  newVerifyCode!: string;
}
