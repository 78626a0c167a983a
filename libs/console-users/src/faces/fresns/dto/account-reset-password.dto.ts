import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of Fresns' `PUT /api/v2/account/reset-password`. */
export class AccountResetPasswordDto {
  @ApiProperty({ enum: ['email', 'phone'] })
  @IsDefined({ message: 'type is required' })
  @IsIn(['email', 'phone'], { message: 'type must be email or phone' })
  type!: 'email' | 'phone';

  @ApiProperty()
  @IsDefined({ message: 'account is required' })
  @IsString({ message: 'account must be a string' })
  @MaxLength(254, { message: 'account must be at most 254 characters' })
  account!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => String)
  @IsString({ message: 'countryCode must be a calling code' })
  @MaxLength(5, { message: 'countryCode must be a calling code' })
  countryCode?: string;

  @ApiProperty()
  @IsDefined({ message: 'verifyCode is required' })
  @IsString({ message: 'verifyCode must be a string' })
  @MaxLength(20, { message: 'verifyCode must be at most 20 characters' })
  verifyCode!: string;

  @ApiProperty({ description: 'base64 of the new password' })
  @IsDefined({ message: 'newPassword is required' })
  @IsString({ message: 'newPassword must be a string' })
  @MaxLength(1024, { message: 'newPassword is too long' })
  newPassword!: string;
}
