import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

/** authentik's `EmailStage` as the API returns it. */
export interface AuthentikEmailStage {
  pk: string;
  name: string;
  component: string;
  verbose_name: string;
  verbose_name_plural: string;
  meta_model_name: string;
  flow_set: unknown[];
  use_global_settings: boolean;
  from_address: string;
  token_expiry: string;
  subject: string;
  template: string;
  activate_user_on_success: boolean;
  recovery_max_attempts: number;
  recovery_cache_timeout: string;
}

/**
 * The fields of authentik's `EmailStageRequest` we read. SMTP fields (host, port, username,
 * password, TLS, timeout) are dropped unread: mail always goes through the server's transport,
 * and no SMTP password is ever stored here.
 */
abstract class EmailStageFieldsDto {
  @ApiPropertyOptional({ example: true, description: 'Mail always goes through the server transport; SMTP fields are ignored' })
  @IsOptional()
  @IsBoolean({ message: 'Must be a valid boolean.' })
  use_global_settings?: boolean;

  @ApiPropertyOptional({ maxLength: 255, example: 'Reset your password' })
  @IsOptional()
  @IsString({ message: 'Not a valid string.' })
  @MaxLength(255, { message: 'Ensure this field has no more than 255 characters.' })
  subject?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'email/password_reset.html' })
  @IsOptional()
  @IsString({ message: 'Not a valid string.' })
  @MaxLength(100, { message: 'Ensure this field has no more than 100 characters.' })
  template?: string;

  @ApiPropertyOptional({ maxLength: 320, example: 'Console <no-reply@example.com>' })
  @IsOptional()
  @IsString({ message: 'Not a valid string.' })
  @MaxLength(320, { message: 'Ensure this field has no more than 320 characters.' })
  from_address?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'minutes=60' })
  @IsOptional()
  @IsString({ message: 'Not a valid string.' })
  @MaxLength(100, { message: 'Ensure this field has no more than 100 characters.' })
  token_expiry?: string;

  /** Accepted for client compatibility; the flow-side behaviours it controls do not exist here. */
  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean({ message: 'Must be a valid boolean.' })
  activate_user_on_success?: boolean;

  @ApiPropertyOptional({ type: 'integer', example: 5 })
  @IsOptional()
  @IsInt({ message: 'A valid integer is required.' })
  recovery_max_attempts?: number;

  @ApiPropertyOptional({ example: 'minutes=5' })
  @IsOptional()
  @IsString({ message: 'Not a valid string.' })
  recovery_cache_timeout?: string;
}

/** authentik's `PatchedEmailStageRequest`: every field optional. */
export class PatchedEmailStageRequestDto extends EmailStageFieldsDto {
  @ApiPropertyOptional({ maxLength: 255, example: 'marketing-recovery-email' })
  @IsOptional()
  @IsString({ message: 'Not a valid string.' })
  @MaxLength(255, { message: 'Ensure this field has no more than 255 characters.' })
  name?: string;
}

/** authentik's `EmailStageRequest` (create, full update): `name` is required. */
export class EmailStageRequestDto extends EmailStageFieldsDto {
  @ApiProperty({ maxLength: 255, example: 'marketing-recovery-email' })
  @IsDefined({ message: 'This field is required.' })
  @IsString({ message: 'Not a valid string.' })
  @MaxLength(255, { message: 'Ensure this field has no more than 255 characters.' })
  name!: string;
}
