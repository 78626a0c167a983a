import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of Fresns' `POST /api/v2/account/register`. */
export class AccountRegisterDto {
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

  @ApiProperty({ description: 'base64 of the password' })
  @IsDefined({ message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  @MaxLength(1024, { message: 'password is too long' })
  password!: string;

  @ApiProperty()
  @IsDefined({ message: 'nickname is required' })
  @IsString({ message: 'nickname must be a string' })
  @MaxLength(256, { message: 'nickname is too long' })
  nickname!: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored' })
  @IsOptional()
  @IsString()
  deviceToken?: string;
}
